import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
// The demo runs in this process, from its sources (vitest maps the package to them).
import { runDemo } from '@joblens/demo';
import { QUEUES, SERVICE_NAME } from '@joblens/demo/scenario';
import { ensurePrometheus, type PrometheusBinaries } from '@joblens/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import {
  checksWithoutData,
  dashboardAndRuleChecks,
  ruleHealth,
  variablesWithoutValues,
} from './dashboard-checks.js';
import { type PrometheusProcess, startPrometheusWithConfig } from './prometheus-process.js';
import { readRepoYaml, repoPath } from './repo-files.js';

// The quick start's demo, scraped by a real Prometheus through nothing but the configuration file the
// demo writes: every dashboard panel query that needs no Collector and every recording rule must return
// data, and demo-sync's backlog (sync-1 stops consuming) must be able to fire JoblensOldestReadyJobTooOld.
// A cut-down fleet (the healthy mail hosts, reports-1 for the payment outage's retries, sync-1 for the
// stuck consumer) starts faster on a busy machine than all eight hosts.

const FAULTS = ['upstream-outage', 'stuck-worker'];
/** Grafana's `$__rate_interval` for the demo's 5 s scrape interval: four intervals. */
const RATE_INTERVAL = '20s';
const OLDEST_READY_ALERT = 'JoblensOldestReadyJobTooOld';

let bins: PrometheusBinaries;
let prometheus: PrometheusProcess | undefined;
let output = '';
let configFile: string;
let demo: Promise<number> | undefined;
const abort = new AbortController();
const scratch = mkdtempSync(join(tmpdir(), 'joblens-demo-dashboards-'));

async function waitFor<T>(
  what: string,
  timeoutMillis: number,
  probe: () => T | undefined | Promise<T | undefined>,
) {
  const deadline = Date.now() + timeoutMillis;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline)
      throw new Error(`${what} within ${timeoutMillis / 1000} s; demo output:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

type AlertRule = { alert?: string; expr: string; annotations: Record<string, string> };

function oldestReadyAlert(): AlertRule {
  const rules: AlertRule[] = readRepoYaml('prometheus/rules/joblens-alerts.yml').groups.flatMap(
    (group: { rules: AlertRule[] }) => group.rules,
  );
  const rule = rules.find((candidate) => candidate.alert === OLDEST_READY_ALERT);
  if (!rule) throw new Error(`no alert ${OLDEST_READY_ALERT} in prometheus/rules/joblens-alerts.yml`);
  return rule;
}

beforeAll(async () => {
  bins = await ensurePrometheus();
  demo = runDemo({
    faults: FAULTS,
    // Longer than this file needs: the demo is stopped through `signal` once the checks are done.
    durationSeconds: 600,
    quietSeconds: 3600,
    port: 0,
    otlpPort: 0,
    stdout: { write: (text: string) => (output += text) },
    isTty: false,
    env: { ...process.env, CI: '1' },
    signal: abort.signal,
  });
  demo.catch(() => {});
  configFile = await waitFor('a line saying where the Prometheus configuration is', 60_000, () => {
    return /^prometheus: scrape config .* in (.+)$/m.exec(output)?.[1];
  });
  prometheus = await startPrometheusWithConfig(bins.prometheus, configFile);
}, 90_000);

afterAll(async () => {
  abort.abort();
  await demo;
  await prometheus?.stop();
  rmSync(scratch, { recursive: true, force: true });
});

describe('the quick-start demo feeding Prometheus and the dashboards', () => {
  it('writes a Prometheus configuration that promtool accepts, and says where in one line', () => {
    expect(output.match(/^prometheus: /gm)).toHaveLength(1);
    const checked = execFileSync(bins.promtool, ['check', 'config', configFile], { encoding: 'utf8' });
    // The repository's rules come with it, so the dashboards' recording rules and the alerts run too.
    expect(checked).toContain('SUCCESS: 2 rule files found');
  });

  it('gets data from every dashboard panel query without a Collector and from every recording rule', async () => {
    const checks = dashboardAndRuleChecks(RATE_INTERVAL);
    expect(checks.length).toBeGreaterThan(30);
    const empty = await checksWithoutData(prometheus!, checks, Date.now() + 100_000);
    expect(empty, 'queries that returned no data (broken panels)').toEqual([]);
  }, 110_000);

  it('fills every dashboard variable and evaluates every rule without an error', async () => {
    expect(await variablesWithoutValues(prometheus!)).toEqual([]);
    const { loaded, failing } = await ruleHealth(prometheus!);
    expect(loaded).toBeGreaterThan(15);
    expect(failing).toEqual([]);
  });

  it("ages demo-sync's oldest ready job by the second once sync-1 stops, as the alert needs", async () => {
    const rule = oldestReadyAlert();
    const [, figure] = /^(\S+) > \d+$/.exec(rule.expr) ?? [];
    expect(figure, rule.expr).toBeDefined();
    const selector = `${figure}{service_name="${SERVICE_NAME}", messaging_destination_name="${QUEUES.sync}"}`;
    // The backlog starts 14 s after the fleet is ready. Once the job has waited 25 s, the last 20 s all
    // lie after sync-1 stopped: the trend there is the job's wait alone.
    const rising = await waitFor('demo-sync waiting 25 s', 100_000, async () => {
      const series = (await prometheus!.queryRange(selector, 20, 5)) as { values: [number, string][] }[];
      const values = series[0]?.values ?? [];
      const last = values.at(-1);
      return last && Number(last[1]) >= 25 && values.length >= 4 ? values : undefined;
    });
    const [firstAt, first] = rising[0];
    const [lastAt, last] = rising.at(-1)!;
    // Seconds of wait per second of time: about 1 (scrapes and evaluations land a little apart), so the
    // figure is in seconds and crosses the alert's threshold that many seconds after sync-1 stops.
    const perSecond = (Number(last) - Number(first)) / (lastAt - firstAt);
    expect(perSecond).toBeGreaterThan(0.7);
    expect(perSecond).toBeLessThan(1.3);
  }, 110_000);

  it("fires JoblensOldestReadyJobTooOld on demo-sync's series as scraped, in promtool's rule test", async () => {
    const [raw] = (await prometheus!.query(
      `joblens_queue_oldest_ready_age{messaging_destination_name="${QUEUES.sync}"}`,
    )) as { metric: Record<string, string> }[];
    expect(raw, 'the raw series of demo-sync').toBeDefined();
    const labels = Object.entries(raw.metric)
      .map(([name, value]) => `${name}=${JSON.stringify(value)}`)
      .join(',');
    const testFile = join(scratch, 'oldest-ready.test.yml');
    writeFileSync(
      testFile,
      stringify({
        rule_files: [
          repoPath('prometheus/rules/joblens-recording.yml'),
          repoPath('prometheus/rules/joblens-alerts.yml'),
        ],
        evaluation_interval: '15s',
        // As in prometheus/tests: the recording rules first, or the summary's figure lags one evaluation at random.
        group_eval_order: ['joblens-figures', 'joblens-alerts'],
        tests: [
          {
            interval: '15s',
            // The job waits on, 15 s more at every scrape, with exactly the labels the demo's worker has.
            input_series: [{ series: `{${labels}}`, values: '0+15x40' }],
            alert_rule_test: [
              { eval_time: '4m', alertname: OLDEST_READY_ALERT, exp_alerts: [] },
              {
                eval_time: '8m',
                alertname: OLDEST_READY_ALERT,
                exp_alerts: [
                  {
                    exp_labels: {
                      severity: 'warning',
                      service_name: SERVICE_NAME,
                      messaging_destination_name: QUEUES.sync,
                    },
                    exp_annotations: {
                      summary: `The oldest ready job in ${QUEUES.sync} (${SERVICE_NAME}) has waited 8m 0s`,
                      description: oldestReadyAlert().annotations.description,
                    },
                  },
                ],
              },
            ],
          },
        ],
      }),
    );
    let result: string;
    try {
      result = execFileSync(bins.promtool, ['test', 'rules', testFile], { encoding: 'utf8' });
    } catch (error) {
      const failed = error as { stdout?: string; stderr?: string };
      throw new Error(`promtool test rules failed:\n${failed.stdout ?? ''}${failed.stderr ?? ''}`);
    }
    expect(result).toContain('SUCCESS');
  });
});
