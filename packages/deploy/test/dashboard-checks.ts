import { ALL_DASHBOARDS } from '../src/all-dashboards.js';
import { listPanelQueries, substituteVariables } from '../src/panel-queries.js';
import type { PrometheusProcess } from './prometheus-process.js';
import { readRepoYaml } from './repo-files.js';

/** A query that must return data: a dashboard panel's or a recording rule's. */
export type DataCheck = { name: string; expr: string; instant: boolean };

/** Every dashboard variable set to "All", as a first visit to a dashboard has them. */
const ALL_VARIABLES = { service: '.*', queue: '.*', worker: '.*', job_name: '.*' };

/**
 * Queries only the Collector path can answer (span metrics come from its spanmetrics connector), and
 * targets of other data sources (Jaeger), are left out: a stack without a Collector has neither.
 */
const collectorOnly = (expr: string) => expr.includes('traces_span_metrics_');

/**
 * Every Prometheus query of every dashboard panel that needs no Collector, as Grafana would send it
 * (variables "All", `$__rate_interval` as `rateInterval`; tables as instant queries), and every
 * recording rule's series.
 */
export function dashboardAndRuleChecks(rateInterval: string): DataCheck[] {
  const panelChecks = ALL_DASHBOARDS.flatMap(({ build }) => {
    const dashboard = build();
    const instantPanels = new Set(
      (dashboard.panels as { title?: string; type?: string }[])
        .filter((panel) => panel.type === 'table')
        .map((panel) => panel.title),
    );
    return listPanelQueries(dashboard)
      .filter((query) => query.expr !== undefined && !collectorOnly(query.expr))
      .map((query) => ({
        name: `${query.dashboard} / ${query.panel} / ${query.refId}`,
        expr: substituteVariables(query.expr ?? '', ALL_VARIABLES, rateInterval),
        instant: instantPanels.has(query.panel),
      }));
  });
  const ruleChecks = readRepoYaml('prometheus/rules/joblens-recording.yml').groups.flatMap(
    (group: { rules: { record: string }[] }) =>
      group.rules.map((rule) => ({
        name: `recording rule ${rule.record}`,
        expr: rule.record,
        instant: true,
      })),
  );
  return [...panelChecks, ...ruleChecks];
}

/**
 * Runs every check every `pollMillis` until each has returned data once or the deadline passes, and
 * resolves with those that never did, as `name: expr` lines. Polling, since a busy machine may take
 * its time before the first scrapes and rule evaluations land.
 */
export async function checksWithoutData(
  prometheus: PrometheusProcess,
  checks: DataCheck[],
  deadlineMs: number,
  pollMillis = 2000,
): Promise<string[]> {
  const pending = new Map(checks.map((check) => [check.name, check]));
  while (pending.size > 0 && Date.now() < deadlineMs) {
    await new Promise((resolve) => setTimeout(resolve, pollMillis));
    for (const check of [...pending.values()]) {
      const result = check.instant
        ? await prometheus.query(check.expr)
        : await prometheus.queryRange(check.expr, 60, 2);
      if (result.length > 0) pending.delete(check.name);
    }
  }
  return [...pending.values()].map((check) => `${check.name}: ${check.expr}`);
}

/** The dashboards' label variables (`label_values(selector, label)`) that find no value in Prometheus now. */
export async function variablesWithoutValues(prometheus: PrometheusProcess): Promise<string[]> {
  const variables = new Map<string, string>();
  for (const { build } of ALL_DASHBOARDS) {
    for (const variable of build().templating?.list ?? []) {
      if (typeof variable.query === 'string') variables.set(variable.name, variable.query);
    }
  }
  const empty: string[] = [];
  for (const [name, query] of variables) {
    const match = /^label_values\((.*),\s*(\w+)\)$/.exec(query);
    if (!match) continue;
    const [, selector, label] = match;
    const result = (await prometheus.query(
      `count by (${label}) (${substituteVariables(selector, ALL_VARIABLES, '15s')})`,
    )) as { metric: Record<string, string> }[];
    if (!result.some((series) => series.metric[label])) empty.push(`${name}: ${query}`);
  }
  return empty;
}

/** Rules Prometheus loaded, and those whose last evaluation failed (`name: error`). */
export async function ruleHealth(
  prometheus: PrometheusProcess,
): Promise<{ loaded: number; failing: string[] }> {
  const response = await fetch(`${prometheus.url}/api/v1/rules`);
  const body = (await response.json()) as {
    data: { groups: { rules: { name: string; health: string; lastError?: string }[] }[] };
  };
  const rules = body.data.groups.flatMap((group) => group.rules);
  return {
    loaded: rules.length,
    failing: rules.filter((rule) => rule.health !== 'ok').map((rule) => `${rule.name}: ${rule.lastError}`),
  };
}
