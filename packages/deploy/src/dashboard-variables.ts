import {
  QueryVariableBuilder,
  TextBoxVariableBuilder,
  VariableRefresh,
  VariableSort,
} from '@grafana/grafana-foundation-sdk/dashboard';
import { PROMETHEUS_DATASOURCE } from './datasources.js';

/**
 * A multi-value variable filled from a label's values; "All" is the regex `.*`, so queries filter with
 * `label=~"$name"` and keep series that lack the label altogether.
 */
function labelVariable(name: string, label: string, valuesQuery: string) {
  return new QueryVariableBuilder(name)
    .label(label)
    .datasource(PROMETHEUS_DATASOURCE)
    .query(valuesQuery)
    .definition(valuesQuery)
    .refresh(VariableRefresh.OnTimeRangeChanged)
    .sort(VariableSort.AlphabeticalAsc)
    .multi(true)
    .includeAll(true)
    .allValue('.*')
    .current({ text: 'All', value: '$__all' });
}

/** Workers report service.name; the analyzer's series say `service`: both carry the same values. */
export function serviceVariable() {
  return labelVariable('service', 'Service', 'label_values(joblens_worker_heartbeats_total, service_name)');
}

export function queueVariable() {
  return labelVariable(
    'queue',
    'Queue',
    'label_values(joblens_job_outcomes_total{service_name=~"$service"}, messaging_destination_name)',
  );
}

/** A worker is a `service.instance.id`: the analyzer's `worker` label holds the same value. */
export function workerVariable() {
  return labelVariable(
    'worker',
    'Worker',
    'label_values(joblens_worker_heartbeats_total{service_name=~"$service"}, service_instance_id)',
  );
}

export function jobNameVariable() {
  return labelVariable(
    'job_name',
    'Job name',
    'label_values(joblens_job_outcomes_total{service_name=~"$service", messaging_destination_name=~"$queue"}, joblens_job_name)',
  );
}

/** Where people open a link to something outside Grafana (the analyzer's page, Jaeger's UI). */
export function urlVariable(name: string, label: string, defaultUrl: string) {
  return new TextBoxVariableBuilder(name)
    .label(label)
    .defaultValue(defaultUrl)
    .current({ text: defaultUrl, value: defaultUrl });
}
