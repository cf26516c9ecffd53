import { type LogRecordData, SPAN_KIND, type SpanRecord, STATUS_CODE } from '@joblens/otlp-receiver';
import {
  ATTR_BULLMQ_JOB_ATTEMPTS_MADE,
  ATTR_BULLMQ_JOB_FAILED_REASON,
  ATTR_BULLMQ_JOB_ID,
  ATTR_BULLMQ_JOB_NAME,
  ATTR_BULLMQ_QUEUE_NAME,
  ATTR_ERROR_TYPE,
  ATTR_EVENT_NAME,
  ATTR_EXCEPTION_MESSAGE,
  ATTR_EXCEPTION_TYPE,
  ATTR_JOB_ATTEMPT,
  ATTR_JOB_CURRENT_STEP,
  ATTR_JOB_ELAPSED,
  ATTR_JOB_ID,
  ATTR_JOB_MAX_ATTEMPTS,
  ATTR_JOB_NAME,
  ATTR_JOB_OUTCOME,
  ATTR_JOB_QUEUE_WAIT,
  ATTR_JOB_SILENCE,
  ATTR_MESSAGE_DELIVERY_COUNT,
  ATTR_MESSAGING_DESTINATION_NAME,
  ATTR_MESSAGING_MESSAGE_ID,
  ATTR_MESSAGING_OPERATION_TYPE,
  ATTR_MESSAGING_SYSTEM,
  ATTR_MONITOR_SLUG,
  ATTR_STEP_NAME,
  EVENT_EXCEPTION,
  EVENT_JOB_FAILED,
  JOB_OUTCOMES,
  type JobOutcome,
  LEGACY_MESSAGING_ALIASES,
  LOG_DIAGNOSTIC_MODE,
  LOG_EVENT_LOOP_BLOCKED,
  LOG_EVENT_LOOP_RECOVERED,
  LOG_FAILURE_SNAPSHOT,
  LOG_JOB_ENDED,
  LOG_JOB_STARTED,
  LOG_JOB_STILL_RUNNING,
  LOG_WORKER_DUMP,
  LOG_WORKER_STOPPED,
  MESSAGING_OPERATION_PROCESS,
  MESSAGING_SYSTEM_BULLMQ,
} from '@joblens/semconv';
import { readFirstString, readNumber, readString } from './attribute-readers.js';
import { isCeleryRunSpan } from './dialects/read-celery-attempt.js';
import { readDialect } from './dialects/read-dialect.js';
import type { AttemptFacts, JobLogFacts, JobLogKind } from './facts.js';
import { workerIdentity } from './worker-identity.js';

/** Each current messaging key followed by the legacy keys that mean the same. */
function withAliases(current: string): readonly string[] {
  const keys = [current];
  for (const [legacy, target] of Object.entries(LEGACY_MESSAGING_ALIASES)) {
    if (target === current) keys.push(legacy);
  }
  return keys;
}

const OPERATION_KEYS = withAliases(ATTR_MESSAGING_OPERATION_TYPE);
const DESTINATION_KEYS = [...withAliases(ATTR_MESSAGING_DESTINATION_NAME), ATTR_BULLMQ_QUEUE_NAME];
const JOB_ID_KEYS = [ATTR_JOB_ID, ATTR_BULLMQ_JOB_ID, ...withAliases(ATTR_MESSAGING_MESSAGE_ID)];
const JOB_NAME_KEYS = [ATTR_JOB_NAME, ATTR_BULLMQ_JOB_NAME];
/** BullMQ names its span operation here (`process`, `getNextJob`, ...). */
const BULLMQ_OPERATION = 'bullmq.queue.operation';
/** The event BullMQ adds to its `process` span when the job's function threw. */
const BULLMQ_FAILED_EVENT = 'job failed';
const PROCESS_PREFIX = `${MESSAGING_OPERATION_PROCESS} `;
const OUTCOMES: ReadonlySet<string> = new Set(JOB_OUTCOMES);

const LOG_KINDS: ReadonlyMap<string, JobLogKind> = new Map([
  [LOG_JOB_STARTED, 'started'],
  [LOG_JOB_STILL_RUNNING, 'still_running'],
  [LOG_JOB_ENDED, 'ended'],
  [LOG_FAILURE_SNAPSHOT, 'failure_snapshot'],
  [LOG_WORKER_DUMP, 'worker_dump'],
  [LOG_EVENT_LOOP_BLOCKED, 'event_loop_blocked'],
  [LOG_EVENT_LOOP_RECOVERED, 'event_loop_recovered'],
  [LOG_DIAGNOSTIC_MODE, 'diagnostic_mode'],
  [LOG_WORKER_STOPPED, 'worker_stopped'],
]);

function isAttemptSpan(span: SpanRecord): boolean {
  const attributes = span.attributes;
  // A step is never an attempt, whatever else it copies from its parent.
  if (attributes[ATTR_STEP_NAME] !== undefined) return false;
  const operation = readFirstString(attributes, OPERATION_KEYS);
  if (operation === MESSAGING_OPERATION_PROCESS) return true;
  if (operation === 'receive') return span.kind === SPAN_KIND.CONSUMER;
  if (operation !== undefined) return false;
  const bullmqOperation = readString(attributes, BULLMQ_OPERATION);
  if (bullmqOperation !== undefined) return bullmqOperation === MESSAGING_OPERATION_PROCESS;
  if (span.kind === SPAN_KIND.CONSUMER && span.name.startsWith(PROCESS_PREFIX)) return true;
  if (isCeleryRunSpan(span)) return true;
  return attributes[ATTR_BULLMQ_JOB_ID] !== undefined && span.name.startsWith(PROCESS_PREFIX);
}

function failedEvent(span: SpanRecord): SpanRecord['events'][number] | undefined {
  for (const event of span.events) {
    if (event.name === BULLMQ_FAILED_EVENT || event.name === EVENT_JOB_FAILED) return event;
  }
  return undefined;
}

function exceptionEvent(span: SpanRecord): SpanRecord['events'][number] | undefined {
  for (let i = span.events.length - 1; i >= 0; i--) {
    if (span.events[i].name === EVENT_EXCEPTION) return span.events[i];
  }
  return undefined;
}

function deriveOutcome(failed: boolean, attempt: number, maxAttempts: number | undefined): JobOutcome {
  if (!failed) return 'completed';
  if (maxAttempts === undefined) return 'failed';
  return attempt >= maxAttempts ? 'exhausted' : 'retry_scheduled';
}

/**
 * Reads an attempt span of any dialect (joblens SDK, OpenTelemetry messaging conventions current and
 * legacy, BullMQ's own telemetry, the instrumentations `dialects/` knows); undefined for every other span.
 */
export function readAttempt(span: SpanRecord): AttemptFacts | undefined {
  if (!isAttemptSpan(span)) return undefined;
  const attributes = span.attributes;
  const resource = span.resource;
  const stated =
    readNumber(attributes, ATTR_JOB_ATTEMPT) ?? readNumber(attributes, ATTR_BULLMQ_JOB_ATTEMPTS_MADE);
  // The joblens SDK's spans state their attempt: only other instrumentations' spans are read for a dialect.
  const dialect = stated === undefined ? readDialect(span) : undefined;
  if (dialect?.notAnAttempt === true) return undefined;
  const queue =
    dialect?.queue ??
    readFirstString(attributes, DESTINATION_KEYS) ??
    (span.name.startsWith(PROCESS_PREFIX) ? span.name.slice(PROCESS_PREFIX.length) : span.name);
  const givenAttempt = stated ?? dialect?.attempt;
  // A broker's delivery count is a floor, not the last word: the model still counts the deliveries it saw,
  // in case the broker does not count a requeue as a delivery.
  const deliveryCount =
    givenAttempt === undefined ? readNumber(attributes, ATTR_MESSAGE_DELIVERY_COUNT) : undefined;
  const attempt = Math.max(1, Math.floor(givenAttempt ?? (deliveryCount ?? 0) + 1));
  const maxAttempts = readNumber(attributes, ATTR_JOB_MAX_ATTEMPTS);
  const failure = span.events.length > 0 ? failedEvent(span) : undefined;
  const failedReason =
    readString(attributes, ATTR_BULLMQ_JOB_FAILED_REASON) ??
    (failure ? readString(failure.attributes, ATTR_BULLMQ_JOB_FAILED_REASON) : undefined);
  const declared = readString(attributes, ATTR_JOB_OUTCOME);
  const failed = span.statusCode === STATUS_CODE.ERROR || failedReason !== undefined || failure !== undefined;
  const outcome =
    declared !== undefined && OUTCOMES.has(declared)
      ? (declared as JobOutcome)
      : (dialect?.outcome ?? deriveOutcome(failed, attempt, maxAttempts));
  const exception = outcome === 'completed' ? undefined : exceptionEvent(span);
  const errorType =
    readString(attributes, ATTR_ERROR_TYPE) ??
    (exception ? readString(exception.attributes, ATTR_EXCEPTION_TYPE) : undefined) ??
    (outcome === 'completed' ? undefined : '_OTHER');
  const errorMessage =
    outcome === 'completed'
      ? undefined
      : ((exception ? readString(exception.attributes, ATTR_EXCEPTION_MESSAGE) : undefined) ??
        failedReason ??
        dialect?.errorMessage ??
        (span.statusMessage === '' ? undefined : span.statusMessage));
  const system =
    readString(attributes, ATTR_MESSAGING_SYSTEM) ??
    dialect?.system ??
    (attributes[ATTR_BULLMQ_JOB_ID] !== undefined ? MESSAGING_SYSTEM_BULLMQ : '');
  const jobId = readFirstString(attributes, JOB_ID_KEYS) ?? dialect?.jobId;
  return {
    traceId: span.traceId,
    spanId: span.spanId,
    service: resource.serviceName,
    worker: workerIdentity(resource),
    host: resource.hostName,
    system,
    queue,
    jobName: readFirstString(attributes, JOB_NAME_KEYS) ?? dialect?.jobName ?? queue,
    // Without an id each attempt stands alone as its own job.
    jobId: jobId ?? span.spanId,
    attempt,
    attemptFromDeliveries: givenAttempt === undefined && jobId !== undefined,
    maxAttempts: maxAttempts === undefined ? undefined : Math.floor(maxAttempts),
    outcome,
    errorType,
    errorMessage,
    startMs: span.startMs,
    endMs: Math.max(span.startMs, span.endMs),
    queueWaitSeconds: readNumber(attributes, ATTR_JOB_QUEUE_WAIT) ?? dialect?.queueWaitSeconds,
    monitorSlug: readString(attributes, ATTR_MONITOR_SLUG),
    attributes,
  };
}

/** Reads a joblens SDK log record (by event name); undefined for every other log record. */
export function readJobLog(log: LogRecordData): JobLogFacts | undefined {
  const eventName = log.eventName !== '' ? log.eventName : readString(log.attributes, ATTR_EVENT_NAME);
  if (eventName === undefined) return undefined;
  const kind = LOG_KINDS.get(eventName);
  if (kind === undefined) return undefined;
  const attributes = log.attributes;
  const attempt = readNumber(attributes, ATTR_JOB_ATTEMPT);
  return {
    kind,
    timeMs: log.timeMs,
    traceId: log.traceId,
    spanId: log.spanId,
    service: log.resource.serviceName,
    worker: workerIdentity(log.resource),
    host: log.resource.hostName,
    queue: readFirstString(attributes, DESTINATION_KEYS),
    jobName: readFirstString(attributes, JOB_NAME_KEYS),
    jobId: readFirstString(attributes, JOB_ID_KEYS),
    attempt: attempt === undefined ? undefined : Math.max(1, Math.floor(attempt)),
    currentStep: readString(attributes, ATTR_JOB_CURRENT_STEP),
    silenceSeconds: readNumber(attributes, ATTR_JOB_SILENCE),
    elapsedSeconds: readNumber(attributes, ATTR_JOB_ELAPSED),
    monitorSlug: readString(attributes, ATTR_MONITOR_SLUG),
    attributes,
  };
}
