import type { MetricPointRecord } from '@joblens/otlp-receiver';
import {
  ATTR_CONSUMER_CONNECTION,
  ATTR_CONSUMER_STATE,
  ATTR_JOB_NAME,
  ATTR_JOB_OUTCOME,
  ATTR_QUEUE_STATE,
  METRIC_ACTIVE_JOBS,
  METRIC_CONSUMER_LAST_FETCH_TIME,
  METRIC_CONSUMERS,
  METRIC_JOB_OUTCOMES,
  METRIC_LAST_SUCCESS_TIME,
  METRIC_QUEUE_DEPTH,
  METRIC_QUEUE_OLDEST_READY_AGE,
  METRIC_WORKER_HEARTBEATS,
} from '@joblens/semconv';
import { readString } from './attribute-readers.js';
import type { OutcomeCounters } from './outcome-counters.js';
import { queueOfAttributes } from './queue-of-attributes.js';
import type { QueueTable } from './queue-table.js';
import { processPid, workerIdentity } from './worker-identity.js';
import type { WorkerTable } from './worker-table.js';

/** Reads the metrics the model uses (heartbeats, queue gauges, active jobs, last success); any point is a sign of life. */
export function ingestMetricPoint(
  point: MetricPointRecord,
  workers: WorkerTable,
  queues: QueueTable,
  outcomes: OutcomeCounters,
): void {
  const resource = point.resource;
  const worker = workers.touch(
    workerIdentity(resource),
    resource.serviceName,
    resource.hostName,
    point.timeMs,
    processPid(resource),
  );
  switch (point.name) {
    case METRIC_WORKER_HEARTBEATS:
      workers.recordHeartbeat(worker, point.timeMs);
      return;
    case METRIC_QUEUE_DEPTH: {
      const queue = queueOfAttributes(point.attributes);
      const state = readString(point.attributes, ATTR_QUEUE_STATE);
      if (queue === undefined || state === undefined) return;
      worker.queues.add(queue);
      queues.recordDepth(resource.serviceName, queue, state, point.value, point.timeMs);
      return;
    }
    case METRIC_QUEUE_OLDEST_READY_AGE: {
      const queue = queueOfAttributes(point.attributes);
      if (queue === undefined) return;
      worker.queues.add(queue);
      queues.recordOldestReadyAge(resource.serviceName, queue, point.value, point.timeMs);
      return;
    }
    case METRIC_ACTIVE_JOBS:
      if (Number.isFinite(point.value)) {
        workers.recordReportedActive(
          worker,
          queueOfAttributes(point.attributes) ?? '',
          point.value,
          point.timeMs,
        );
      }
      return;
    case METRIC_LAST_SUCCESS_TIME:
      if (Number.isFinite(point.value) && point.value > 0) {
        const ms = point.value * 1000;
        if (worker.lastCompletionMs === undefined || ms > worker.lastCompletionMs)
          worker.lastCompletionMs = ms;
      }
      return;
    case METRIC_JOB_OUTCOMES: {
      const queue = queueOfAttributes(point.attributes) ?? '';
      const jobName = readString(point.attributes, ATTR_JOB_NAME) ?? queue;
      const outcome = readString(point.attributes, ATTR_JOB_OUTCOME) ?? '';
      const ended = outcomes.record(
        worker.worker,
        resource.serviceName,
        queue,
        jobName,
        outcome,
        point.value,
        point.timeMs,
        point.startTimeMs,
        point.temporality,
      );
      if (ended > 0) workers.recordAttemptEnd(worker, point.timeMs, outcome === 'completed');
      return;
    }
    case METRIC_CONSUMERS: {
      const queue = queueOfAttributes(point.attributes);
      const state = readString(point.attributes, ATTR_CONSUMER_STATE);
      if (queue === undefined || state === undefined || !Number.isFinite(point.value)) return;
      const connection = readString(point.attributes, ATTR_CONSUMER_CONNECTION) ?? 'unknown';
      workers.recordConsumers(worker, queue, state, connection, point.value, point.timeMs);
      return;
    }
    case METRIC_CONSUMER_LAST_FETCH_TIME: {
      const queue = queueOfAttributes(point.attributes);
      // Not after the point itself: a fetch in the future is a clock error, not a sign of progress.
      if (queue !== undefined && Number.isFinite(point.value) && point.value > 0)
        workers.recordLastFetch(worker, queue, Math.min(point.value * 1000, point.timeMs));
      return;
    }
    default:
      return;
  }
}
