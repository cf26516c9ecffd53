import { SPAN_KIND, type SpanRecord } from '@joblens/otlp-receiver';
import { readNumber, readString } from '../attribute-readers.js';
import type { DialectReading } from './dialect-reading.js';

/** opentelemetry-instrumentation-celery names the worker's span `run/<task name>`. */
const RUN_PREFIX = 'run/';
/** Celery's queue when a task is not routed elsewhere. */
const DEFAULT_QUEUE = 'celery';

/**
 * A task run span of opentelemetry-instrumentation-celery: a consumer span `run/<task>` which, once the
 * task returned, carries `celery.action = run` and `celery.task_name`. It has no `messaging.operation`.
 */
export function isCeleryRunSpan(span: SpanRecord): boolean {
  if (span.kind !== SPAN_KIND.CONSUMER || !span.name.startsWith(RUN_PREFIX)) return false;
  const attributes = span.attributes;
  return attributes['celery.action'] === 'run' || attributes['celery.task_name'] !== undefined;
}

/**
 * Reads a Celery run span. The queue is `messaging.destination` (the instrumentation copies the routing
 * key there), which the generic reading takes; `celery.retries` (left out while 0) numbers the attempt;
 * `celery.state` says how the run ended: `RETRY` (the task called `retry()`, and the instrumentation adds
 * `celery.retry.reason`) is a scheduled retry, `FAILURE` a failure even when the task declared the error
 * in `throws` and the instrumentation set no error status.
 */
export function readCeleryAttempt(span: SpanRecord): DialectReading {
  const attributes = span.attributes;
  const state = readString(attributes, 'celery.state');
  const retryReason = readString(attributes, 'celery.retry.reason');
  const retries = readNumber(attributes, 'celery.retries') ?? 0;
  return {
    system: 'celery',
    queue: readString(attributes, 'messaging.destination') === undefined ? DEFAULT_QUEUE : undefined,
    jobName: readString(attributes, 'celery.task_name') ?? span.name.slice(RUN_PREFIX.length),
    attempt: Math.max(0, Math.floor(retries)) + 1,
    outcome:
      state === 'RETRY' || retryReason !== undefined
        ? 'retry_scheduled'
        : state === 'FAILURE'
          ? 'failed'
          : undefined,
    errorMessage: retryReason,
  };
}
