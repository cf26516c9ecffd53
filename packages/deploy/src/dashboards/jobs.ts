import { DashboardBuilder, DashboardCursorSync, RowBuilder } from '@grafana/grafana-foundation-sdk/dashboard';
import { jobNameVariable, queueVariable, serviceVariable, urlVariable } from '../dashboard-variables.js';
import { JAEGER_DATASOURCE, PROMETHEUS_DATASOURCE } from '../datasources.js';
import { JaegerSearchQueryBuilder } from '../jaeger-search-query.js';
import { ANALYZER_JOB_SERIES, JOB_SERIES, QUEUE_SERIES } from '../label-filters.js';
import { prometheusQuery } from '../prometheus-query.js';
import { tablePanel } from '../table-panel.js';
import { timeSeriesPanel } from '../timeseries-panel.js';

const JOBS_UID = 'joblens-jobs';

const durationQuantile = (quantile: number) =>
  `histogram_quantile(${quantile}, sum by (le, job_name) (rate(joblens_job_duration_seconds_bucket{${ANALYZER_JOB_SERIES}}[$__rate_interval])))`;

/** Jobs: per job name, how long attempts take, how often they retry or go silent, and the slowest ones. */
export function buildJobsDashboard() {
  return new DashboardBuilder('joblens / Jobs')
    .uid(JOBS_UID)
    .description(
      "Per job name: durations, retries, gaps, failures, and links to the slowest attempts' traces.",
    )
    .tags(['joblens'])
    .editable()
    .tooltip(DashboardCursorSync.Crosshair)
    .time({ from: 'now-1h', to: 'now' })
    .refresh('30s')
    .withVariable(serviceVariable())
    .withVariable(queueVariable())
    .withVariable(jobNameVariable())
    .withVariable(urlVariable('jaeger_url', 'Jaeger UI', 'http://localhost:16686'))
    .withRow(new RowBuilder('Durations'))
    .withPanel(
      timeSeriesPanel({
        title: 'Attempt duration percentiles, by job name',
        description:
          "p50, p95 and p99 of attempt durations from the analyzer. Dots are exemplars: click one to open that attempt's trace in Jaeger. A p99 far above p50 means a few attempts hang: look at gaps below and at the slowest attempts.",
        unit: 's',
        span: 24,
        targets: [
          prometheusQuery('A', durationQuantile(0.5), { legend: 'p50 {{job_name}}', exemplar: true }),
          prometheusQuery('B', durationQuantile(0.95), { legend: 'p95 {{job_name}}', exemplar: true }),
          prometheusQuery('C', durationQuantile(0.99), { legend: 'p99 {{job_name}}', exemplar: true }),
          // Only behind the Collector: its span metrics carry exemplars with the trace id of a real attempt.
          prometheusQuery(
            'D',
            `histogram_quantile(0.95, sum by (le, joblens_job_name) (rate(traces_span_metrics_duration_bucket{${JOB_SERIES}, span_name=~"process .*"}[$__rate_interval])))`,
            { legend: 'p95 spans {{joblens_job_name}}', exemplar: true },
          ),
        ],
      }),
    )
    .withPanel(
      timeSeriesPanel({
        title: 'Processing duration p95, by queue',
        description:
          "p95 of `messaging.process.duration` from the workers themselves, per queue. It tracks the analyzer's figures above; when it rises on one queue only, the jobs of that queue got slower, not the workers.",
        unit: 's',
        targets: [
          prometheusQuery(
            'A',
            `histogram_quantile(0.95, sum by (le, messaging_destination_name) (rate(messaging_process_duration_bucket{${QUEUE_SERIES}}[$__rate_interval])))`,
            { legend: '{{messaging_destination_name}}' },
          ),
        ],
      }),
    )
    .withPanel(
      timeSeriesPanel({
        title: 'Longest silent interval per attempt (gap), p95 by job name',
        description:
          "The longest stretch inside a finished attempt with no step, event or checkpoint. A large gap is time spent in something uninstrumented (a slow query, a lock, a sleep): the analyzer's mystery_gap finding shows where in the timeline.",
        unit: 's',
        targets: [
          prometheusQuery(
            'A',
            `histogram_quantile(0.95, sum by (le, job_name) (rate(joblens_job_gap_seconds_bucket{${ANALYZER_JOB_SERIES}}[$__rate_interval])))`,
            { legend: '{{job_name}}' },
          ),
        ],
      }),
    )
    .withRow(new RowBuilder('Outcomes'))
    .withPanel(
      timeSeriesPanel({
        title: 'Attempts per second, by job name and outcome',
        description:
          "Ended attempts from the analyzer, by outcome. `exhausted` means a job gave up after its last attempt: its data needs a person. Compare with the workers' own counts on the Worker fleet dashboard; a gap between them means telemetry is being lost.",
        unit: 'ops',
        targets: [
          prometheusQuery(
            'A',
            `sum by (job_name, outcome) (rate(joblens_job_attempts_total{${ANALYZER_JOB_SERIES}}[$__rate_interval]))`,
            { legend: '{{job_name}} {{outcome}}' },
          ),
        ],
      }),
    )
    .withPanel(
      timeSeriesPanel({
        title: 'Retries per second, by job name',
        description:
          'Attempts the analyzer saw as retries. Steady low retries are normal for flaky dependencies; a job name that retries as fast as it runs is a poison job or a dead dependency (runaway_retries, retry_storm findings).',
        unit: 'ops',
        targets: [
          prometheusQuery(
            'A',
            `sum by (job_name) (rate(joblens_job_retries_total{${ANALYZER_JOB_SERIES}}[$__rate_interval]))`,
            { legend: '{{job_name}}' },
          ),
        ],
      }),
    )
    .withPanel(
      timeSeriesPanel({
        title: 'Share of attempts that did not complete, by job name',
        description:
          "Failed, retried, exhausted and stalled attempts over all ended attempts in the last 5 minutes, from the workers' counters. Above a few percent, open the failures of that job name in the analyzer.",
        unit: 'percentunit',
        min: 0,
        max: 1,
        span: 24,
        targets: [
          prometheusQuery('A', `joblens:job_failure_ratio:ratio5m{${JOB_SERIES}}`, {
            legend: '{{messaging_destination_name}} {{joblens_job_name}}',
          }),
        ],
      }),
    )
    .withRow(new RowBuilder('Slowest attempts'))
    .withPanel(
      tablePanel({
        title: 'Slowest job names now (p99 over 5 minutes)',
        description:
          "The ten job names with the highest p99 attempt duration. Each row links to Jaeger's search for that service with a minimum duration, which lists those slow attempts' traces.",
        unit: 's',
        datasource: PROMETHEUS_DATASOURCE,
        targets: [
          prometheusQuery(
            'A',
            `topk(10, histogram_quantile(0.99, sum by (le, service, queue, job_name) (rate(joblens_job_duration_seconds_bucket{${ANALYZER_JOB_SERIES}}[5m]))))`,
            { instant: true },
          ),
        ],
        span: 12,
        link: {
          title: 'Slow traces of this service in Jaeger',
          // biome-ignore lint/suspicious/noTemplateCurlyInString: Grafana fills these in, per row
          url: '${jaeger_url}/search?service=${__data.fields.service}&operation=process%20${__data.fields.queue}&minDuration=${__value.raw}s&limit=20',
        },
      }),
    )
    .withPanel(
      tablePanel({
        title: 'Slowest traces in Jaeger (select one service)',
        description:
          'Traces of the selected service longer than one second, from Jaeger; each row opens the trace. Jaeger keeps all failed and slow traces and a sample of the rest (collector-config/otelcol.yaml), so every slow attempt is here.',
        unit: 'ms',
        datasource: JAEGER_DATASOURCE,
        targets: [
          new JaegerSearchQueryBuilder({ refId: 'A', service: '$service', minDuration: '1s', limit: 20 }),
        ],
        span: 12,
      }),
    )
    .build();
}
