import { DashboardBuilder, DashboardCursorSync, RowBuilder } from '@grafana/grafana-foundation-sdk/dashboard';
import { queueVariable, serviceVariable, workerVariable } from '../dashboard-variables.js';
import {
  ANALYZER_WORKER_SERIES,
  QUEUE_SERIES,
  WORKER_PROCESS_SERIES,
  WORKER_SERIES,
} from '../label-filters.js';
import { prometheusQuery } from '../prometheus-query.js';
import { timeSeriesPanel } from '../timeseries-panel.js';

const WORKER_FLEET_UID = 'joblens-worker-fleet';

/** Worker fleet: is work getting done, by whom, and is anything waiting or stuck? */
export function buildWorkerFleetDashboard() {
  return new DashboardBuilder('joblens / Worker fleet')
    .uid(WORKER_FLEET_UID)
    .description('Throughput, failures, liveness and queues of the instrumented workers.')
    .tags(['joblens'])
    .editable()
    .tooltip(DashboardCursorSync.Crosshair)
    .time({ from: 'now-30m', to: 'now' })
    .refresh('10s')
    .withVariable(serviceVariable())
    .withVariable(queueVariable())
    .withVariable(workerVariable())
    .withRow(new RowBuilder('Throughput and failures'))
    .withPanel(
      timeSeriesPanel({
        title: 'Completed attempts per second, by queue',
        description:
          "Attempts that ended `completed`, per queue, from the workers' own counters. A drop to zero while the queue depth below grows means the workers stopped taking work: check heartbeat age and active jobs.",
        unit: 'ops',
        targets: [
          prometheusQuery(
            'A',
            `sum by (messaging_destination_name) (joblens:job_outcomes:rate1m{${WORKER_SERIES}, joblens_job_outcome="completed"})`,
            { legend: '{{messaging_destination_name}}' },
          ),
        ],
      }),
    )
    .withPanel(
      timeSeriesPanel({
        title: 'Failed and retried attempts per second, by queue',
        description:
          "Attempts that did not complete, per queue and outcome (`retry_scheduled`, `failed`, `exhausted`, `stalled`). A wall of `retry_scheduled` is a retry storm: open the analyzer's findings for the error type.",
        unit: 'ops',
        targets: [
          prometheusQuery(
            'A',
            `sum by (messaging_destination_name, joblens_job_outcome) (joblens:job_outcomes:rate1m{${WORKER_SERIES}, joblens_job_outcome!="completed"})`,
            { legend: '{{messaging_destination_name}} {{joblens_job_outcome}}' },
          ),
        ],
      }),
    )
    .withPanel(
      timeSeriesPanel({
        title: 'Completed attempts per second, by worker',
        description:
          'Who does the work. Workers of one queue should sit close together; one far above the others (and others near zero while jobs wait) is an imbalance: see the share of work on the Findings dashboard.',
        unit: 'ops',
        targets: [
          prometheusQuery(
            'A',
            `sum by (service_instance_id, host_name) (joblens:job_outcomes:rate1m{${WORKER_SERIES}, joblens_job_outcome="completed"})`,
            { legend: '{{service_instance_id}} ({{host_name}})' },
          ),
        ],
      }),
    )
    .withPanel(
      timeSeriesPanel({
        title: 'Failed and retried attempts per second, by worker',
        description:
          'Failures per worker. Failures on one worker only point at that host (disk, network, a bad deploy); failures on all of them point at a shared dependency or a poison job.',
        unit: 'ops',
        targets: [
          prometheusQuery(
            'A',
            `sum by (service_instance_id, host_name) (joblens:job_outcomes:rate1m{${WORKER_SERIES}, joblens_job_outcome!="completed"})`,
            { legend: '{{service_instance_id}} ({{host_name}})' },
          ),
        ],
      }),
    )
    .withRow(new RowBuilder('Workers'))
    .withPanel(
      timeSeriesPanel({
        title: 'Heartbeat age per worker',
        description:
          "Seconds since the analyzer last received the worker's heartbeat metric. It stays under two export intervals on a healthy worker; a line climbing without bound is a worker that died, hung, or lost its route to the Collector.",
        unit: 's',
        targets: [
          prometheusQuery(
            'A',
            `max by (worker, host) (joblens_worker_heartbeat_age_seconds{${ANALYZER_WORKER_SERIES}})`,
            { legend: '{{worker}} ({{host}})' },
          ),
        ],
      }),
    )
    .withPanel(
      timeSeriesPanel({
        title: 'Active jobs per worker',
        description:
          'Attempts running right now on each worker. Flat at its concurrency limit while completions drop means its jobs are stuck inside a call: look at the oldest running attempt and its silence.',
        unit: 'short',
        min: 0,
        targets: [
          prometheusQuery(
            'A',
            `sum by (service_instance_id, host_name) (joblens_jobs_active{${WORKER_PROCESS_SERIES}})`,
            {
              legend: '{{service_instance_id}} ({{host_name}})',
            },
          ),
        ],
      }),
    )
    .withPanel(
      timeSeriesPanel({
        title: 'Oldest running attempt per worker',
        description:
          'Age of the longest-running attempt on each worker (0 when idle). A sawtooth is normal; a line that only grows is a job that never ends: find it in the analyzer (silent_job, runaway_job) and dump the worker with SIGUSR2.',
        unit: 's',
        targets: [
          prometheusQuery(
            'A',
            `max by (service_instance_id, host_name) (joblens_jobs_oldest_active_age{${WORKER_PROCESS_SERIES}})`,
            { legend: '{{service_instance_id}} ({{host_name}})' },
          ),
        ],
      }),
    )
    .withPanel(
      timeSeriesPanel({
        title: 'Longest silence of a running attempt per worker',
        description:
          "Seconds since the most silent running attempt last did anything visible (a step, an event, a checkpoint). Long silence inside a running job is where it hangs: the analyzer's timeline shows the step it is in.",
        unit: 's',
        targets: [
          prometheusQuery(
            'A',
            `max by (service_instance_id, host_name) (joblens_jobs_max_silence{${WORKER_PROCESS_SERIES}})`,
            { legend: '{{service_instance_id}} ({{host_name}})' },
          ),
        ],
      }),
    )
    .withRow(new RowBuilder('Queues'))
    .withPanel(
      timeSeriesPanel({
        title: 'Queue depth by state',
        description:
          "Jobs in each queue by state, as the workers' queue adapters report it. Waiting growing while completions are flat means too few or stuck workers; delayed growing means many retries with backoff.",
        unit: 'short',
        min: 0,
        targets: [
          prometheusQuery('A', `joblens:queue_depth:max{${QUEUE_SERIES}}`, {
            legend: '{{messaging_destination_name}} {{joblens_queue_state}}',
          }),
        ],
      }),
    )
    .withPanel(
      timeSeriesPanel({
        title: 'Oldest ready job age',
        description:
          'How long the oldest job that could run now (not delayed, not in backoff) has waited. It should stay near the time one job takes; a steady climb means nobody takes work from this queue.',
        unit: 's',
        targets: [
          prometheusQuery('A', `joblens:queue_oldest_ready_age_seconds:max{${QUEUE_SERIES}}`, {
            legend: '{{messaging_destination_name}}',
          }),
        ],
      }),
    )
    .withRow(new RowBuilder('Event loop'))
    .withPanel(
      timeSeriesPanel({
        title: 'Event loop delay p99 per worker',
        description:
          "The 99th percentile of event-loop delay on each worker. Above ~100 ms every job on that worker slows down; spikes of seconds are synchronous work blocking the loop: the analyzer's event_loop_blocked finding names the job and step.",
        unit: 's',
        targets: [
          prometheusQuery(
            'A',
            `max by (service_instance_id, host_name) (nodejs_eventloop_delay_p99{${WORKER_PROCESS_SERIES}})`,
            { legend: '{{service_instance_id}} ({{host_name}})' },
          ),
        ],
      }),
    )
    .withPanel(
      timeSeriesPanel({
        title: 'Event loop utilization per worker',
        description:
          "Share of time the worker's event loop was busy. Near 100% the worker is CPU-bound: add workers or move heavy work to worker threads. Near 0% with jobs waiting, the worker is idle or waiting on I/O.",
        unit: 'percentunit',
        min: 0,
        max: 1,
        targets: [
          prometheusQuery(
            'A',
            `max by (service_instance_id, host_name) (nodejs_eventloop_utilization{${WORKER_PROCESS_SERIES}})`,
            { legend: '{{service_instance_id}} ({{host_name}})' },
          ),
        ],
      }),
    )
    .withPanel(
      timeSeriesPanel({
        title: 'Heartbeats per second per worker',
        description:
          "Heartbeat rate seen by Prometheus, one per metric export interval while the worker's loop turns. A worker that stops here but stays scrapeable has a blocked or starved event loop.",
        unit: 'ops',
        span: 24,
        targets: [
          prometheusQuery('A', `joblens:worker_heartbeats:rate1m{${WORKER_PROCESS_SERIES}}`, {
            legend: '{{service_instance_id}} ({{host_name}})',
          }),
        ],
      }),
    )
    .build();
}
