import type { Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';

export type PanelQuery = {
  dashboard: string;
  panel: string;
  refId: string;
  datasourceUid: string | undefined;
  /** PromQL for Prometheus targets; undefined for other data sources. */
  expr: string | undefined;
};

type PanelLike = {
  type?: string;
  title?: string;
  datasource?: { uid?: string };
  targets?: { refId?: string; expr?: string; datasource?: { uid?: string } }[];
  panels?: PanelLike[];
};

/** Every query of every panel of a dashboard (rows' nested panels included), with its data source. */
export function listPanelQueries(dashboard: Dashboard): PanelQuery[] {
  const queries: PanelQuery[] = [];
  const visit = (panels: PanelLike[] | undefined) => {
    for (const panel of panels ?? []) {
      visit(panel.panels);
      for (const target of panel.targets ?? []) {
        queries.push({
          dashboard: dashboard.title ?? '',
          panel: panel.title ?? '',
          refId: target.refId ?? '',
          datasourceUid: target.datasource?.uid ?? panel.datasource?.uid,
          expr: target.expr,
        });
      }
    }
  };
  visit(dashboard.panels as PanelLike[] | undefined);
  return queries;
}

/**
 * A panel query as Grafana would send it: dashboard variables replaced by the given values (regexes for
 * multi-value variables), Grafana's interval variables by the given range.
 */
export function substituteVariables(
  expr: string,
  variables: Record<string, string>,
  rateInterval: string,
): string {
  return expr
    .replaceAll('$__rate_interval', rateInterval)
    .replaceAll('$__interval', rateInterval)
    .replaceAll('$__range', rateInterval)
    .replace(/\$\{?(\w+)\}?/g, (whole, name: string) => variables[name] ?? whole);
}
