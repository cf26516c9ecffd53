import { DataqueryBuilder, PromQueryFormat } from '@grafana/grafana-foundation-sdk/prometheus';
import { PROMETHEUS_DATASOURCE } from './datasources.js';

export type PrometheusQueryOptions = {
  /** Series name shown in legends, with `{{label}}` placeholders. Default: Grafana's own naming. */
  legend?: string;
  /** One value per series at the dashboard's end time (tables). Default false: a range over the time picker. */
  instant?: boolean;
  /** Ask Prometheus for exemplars (trace ids) with the samples. Default false. */
  exemplar?: boolean;
};

/** A PromQL target on the provisioned Prometheus data source. */
export function prometheusQuery(refId: string, expr: string, options: PrometheusQueryOptions = {}) {
  const query = new DataqueryBuilder().refId(refId).datasource(PROMETHEUS_DATASOURCE).expr(expr);
  if (options.legend !== undefined) query.legendFormat(options.legend);
  if (options.instant) query.instant().format(PromQueryFormat.Table);
  else query.range();
  if (options.exemplar) query.exemplar(true);
  return query;
}
