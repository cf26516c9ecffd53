import {
  DashboardBuilder,
  DashboardCursorSync,
  MappingType,
  RowBuilder,
} from '@grafana/grafana-foundation-sdk/dashboard';
import { PanelBuilder as StateTimelinePanelBuilder } from '@grafana/grafana-foundation-sdk/statetimeline';
import { queueVariable, serviceVariable, urlVariable, workerVariable } from '../dashboard-variables.js';
import { PROMETHEUS_DATASOURCE } from '../datasources.js';
import { ANALYZER_QUEUE_SERIES, ANALYZER_SUBJECT_SERIES, QUEUE_SERIES } from '../label-filters.js';
import { prometheusQuery } from '../prometheus-query.js';
import { tablePanel } from '../table-panel.js';
import { timeSeriesPanel } from '../timeseries-panel.js';

const FINDINGS_UID = 'joblens-findings';

/** The codes of `joblens:monitor_state:code` (prometheus/rules/joblens-recording.yml), shown as words. */
const MONITOR_STATES = [
  { code: 0, text: 'new', color: 'text' },
  { code: 1, text: 'up', color: 'green' },
  { code: 2, text: 'grace', color: 'yellow' },
  { code: 3, text: 'down', color: 'red' },
  { code: 4, text: 'paused', color: 'blue' },
  { code: 5, text: 'running', color: 'purple' },
];

function monitorStatesPanel() {
  const options: Record<string, { text: string; color: string; index: number }> = {};
  for (const [index, state] of MONITOR_STATES.entries()) {
    options[String(state.code)] = { text: state.text, color: state.color, index };
  }
  return new StateTimelinePanelBuilder()
    .title('Heartbeat monitor states over time')
    .description(
      "Each scheduled job's monitor: up after a check-in, grace when its period passed, down when the grace ran out too, running between a start and an end ping. Red is a job that did not run or did not finish: look at its scheduler and its last run on the analyzer's monitors page.",
    )
    .unit('short')
    .datasource(PROMETHEUS_DATASOURCE)
    .mappings([{ type: MappingType.ValueToText, options }])
    .targets([prometheusQuery('A', 'joblens:monitor_state:code', { legend: '{{monitor}}' })])
    .span(12)
    .height(8);
}

/** Findings and monitors: what the analyzer found, where work is unevenly spread, and scheduled jobs' health. */
export function buildFindingsDashboard() {
  return new DashboardBuilder('joblens / Findings and monitors')
    .uid(FINDINGS_UID)
    .description('Open findings of the analyzer, imbalance of work per queue, and heartbeat monitors.')
    .tags(['joblens'])
    .editable()
    .tooltip(DashboardCursorSync.Crosshair)
    .time({ from: 'now-6h', to: 'now' })
    .refresh('30s')
    .withVariable(serviceVariable())
    .withVariable(queueVariable())
    .withVariable(workerVariable())
    .withVariable(urlVariable('analyzer_url', 'Analyzer page', 'http://localhost:4320'))
    .withRow(new RowBuilder('Findings'))
    .withPanel(
      timeSeriesPanel({
        title: 'Open findings by type',
        description:
          'Findings the analyzer holds open, by type. Each one is a specific problem with evidence (a job, a worker, a queue): the table below links to it. A type that stays open for hours is one nobody owns yet.',
        unit: 'short',
        min: 0,
        targets: [
          prometheusQuery('A', `sum by (type) (joblens_findings_open{${ANALYZER_SUBJECT_SERIES}})`, {
            legend: '{{type}}',
          }),
        ],
      }),
    )
    .withPanel(
      timeSeriesPanel({
        title: 'Findings opened per hour, by type',
        description:
          'New findings per hour. A burst of one type after a deploy points at the deploy; a steady trickle of the same type is a chronic problem worth a ticket.',
        unit: 'short',
        min: 0,
        targets: [
          prometheusQuery('A', 'sum by (type) (increase(joblens_findings_opened_total[1h]))', {
            legend: '{{type}}',
          }),
        ],
      }),
    )
    .withPanel(
      tablePanel({
        title: 'Open findings',
        description:
          "One row per open finding subject. Click a row to open the analyzer's page filtered to it, with the evidence, the timeline and the suggested next step.",
        unit: 'short',
        datasource: PROMETHEUS_DATASOURCE,
        targets: [
          prometheusQuery(
            'A',
            `sum by (type, severity, service, queue, worker) (joblens_findings_open{${ANALYZER_SUBJECT_SERIES}}) > 0`,
            { instant: true },
          ),
        ],
        link: {
          title: 'Open in the analyzer',
          // biome-ignore lint/suspicious/noTemplateCurlyInString: Grafana fills these in, per row
          url: '${analyzer_url}/?status=open&type=${__data.fields.type}&service=${__data.fields.service}&queue=${__data.fields.queue}&worker=${__data.fields.worker}',
        },
      }),
    )
    .withRow(new RowBuilder('Imbalance'))
    .withPanel(
      timeSeriesPanel({
        title: 'Imbalance per queue',
        description:
          "The busiest worker's share of a queue divided by the fair share (1 = even, 2 = one worker does twice its part). From the analyzer and, computed from every worker's counter, from Prometheus (right even when several analyzers share the traces). Above 2 with jobs waiting, the others are starved.",
        unit: 'short',
        min: 0,
        targets: [
          prometheusQuery(
            'A',
            `max by (service, queue) (joblens_queue_imbalance_ratio{${ANALYZER_QUEUE_SERIES}})`,
            {
              legend: 'analyzer {{queue}}',
            },
          ),
          prometheusQuery('B', `joblens:queue_imbalance:ratio5m{${QUEUE_SERIES}}`, {
            legend: 'prometheus {{messaging_destination_name}}',
          }),
        ],
      }),
    )
    .withPanel(
      timeSeriesPanel({
        title: 'Share of work per worker',
        description:
          "Each worker's share (0 to 100%) of its queue's attempts in the analyzer's imbalance window. Workers of one queue should be near 1/N each; one near 100% while jobs wait is the hot host the host_imbalance finding names.",
        unit: 'percentunit',
        min: 0,
        max: 1,
        targets: [
          prometheusQuery(
            'A',
            `max by (queue, worker, host) (joblens_worker_job_share{${ANALYZER_SUBJECT_SERIES}})`,
            {
              legend: '{{queue}} {{worker}} ({{host}})',
            },
          ),
        ],
      }),
    )
    .withRow(new RowBuilder('Heartbeat monitors'))
    .withPanel(monitorStatesPanel())
    .withPanel(
      timeSeriesPanel({
        title: "Time since each monitor's last check-in",
        description:
          'Seconds since each scheduled job last pinged. It should reset once per period; a line that keeps climbing past the period plus grace is the monitor that goes down next.',
        unit: 's',
        targets: [
          prometheusQuery('A', 'time() - max by (monitor) (joblens_monitor_last_checkin_timestamp_seconds)', {
            legend: '{{monitor}}',
          }),
        ],
      }),
    )
    .withRow(new RowBuilder('Analyzer health'))
    .withPanel(
      timeSeriesPanel({
        title: 'Items received per second, by signal',
        description:
          "Spans, log records and metric points the analyzer accepted, and those it rejected or could not decode. Received at zero while workers run means the Collector cannot reach the analyzer; any rejections mean malformed telemetry (see the analyzer's log).",
        unit: 'ops',
        targets: [
          prometheusQuery(
            'A',
            'sum by (signal) (rate(joblens_analyzer_received_items_total[$__rate_interval]))',
            {
              legend: 'received {{signal}}',
            },
          ),
          prometheusQuery(
            'B',
            '(sum(rate(joblens_analyzer_rejected_items_total[$__rate_interval])) or vector(0)) + (sum(rate(joblens_analyzer_decode_errors_total[$__rate_interval])) or vector(0))',
            { legend: 'rejected or undecodable' },
          ),
        ],
      }),
    )
    .withPanel(
      timeSeriesPanel({
        title: 'Detector evaluation time p95, by detector',
        description:
          'How long each detector takes per evaluation. Findings come late when this nears the evaluation interval (1 s by default): reduce the windows or the number of live jobs kept.',
        unit: 's',
        targets: [
          prometheusQuery(
            'A',
            'histogram_quantile(0.95, sum by (le, detector) (rate(joblens_analyzer_detector_evaluation_seconds_bucket[$__rate_interval])))',
            { legend: '{{detector}}' },
          ),
        ],
      }),
    )
    .build();
}
