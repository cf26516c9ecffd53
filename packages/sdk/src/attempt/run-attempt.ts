import {
  ATTR_DIAGNOSTIC_MODE,
  ATTR_ERROR_TYPE,
  ATTR_JOB_ATTEMPT,
  ATTR_JOB_CURRENT_STEP,
  ATTR_JOB_ELAPSED,
  ATTR_JOB_ID,
  ATTR_JOB_MAX_ATTEMPTS,
  ATTR_JOB_NAME,
  ATTR_JOB_OUTCOME,
  ATTR_JOB_QUEUE_WAIT,
  ATTR_JOB_RETRY_DELAY,
  ATTR_JOB_SILENCE,
  ATTR_LINK_TYPE,
  ATTR_MESSAGING_DESTINATION_NAME,
  ATTR_MESSAGING_MESSAGE_ID,
  ATTR_MESSAGING_OPERATION_NAME,
  ATTR_MESSAGING_OPERATION_TYPE,
  ATTR_MESSAGING_SYSTEM,
  ATTR_MONITOR_SLUG,
  ATTR_WORKER_ID,
  attemptSpanName,
  EVENT_FAILURE_SNAPSHOT,
  EVENT_JOB_COMPLETED,
  EVENT_JOB_FAILED,
  EVENT_JOB_FETCHED,
  EVENT_JOB_RETRY_SCHEDULED,
  EVENT_JOB_STARTED,
  type JobOutcome,
  LINK_TYPE_PREVIOUS_ATTEMPT,
  LINK_TYPE_PRODUCER,
  LOG_FAILURE_SNAPSHOT,
  LOG_JOB_ENDED,
  LOG_JOB_STARTED,
  LOG_JOB_STILL_RUNNING,
  MESSAGING_OPERATION_PROCESS,
  MESSAGING_SYSTEM_GENERIC,
} from '@joblens/semconv';
import {
  type Attributes,
  context,
  defaultTextMapGetter,
  type HrTime,
  INVALID_SPAN_CONTEXT,
  isSpanContextValid,
  type Link,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  TraceFlags,
  trace,
} from '@opentelemetry/api';
import { SeverityNumber } from '@opentelemetry/api-logs';
import { millisToHrTime, W3CTraceContextPropagator } from '@opentelemetry/core';
import { currentStepOf, silenceSecondsOf } from '../active-attempts.js';
import type { AttemptDescriptor, JobContext } from '../interfaces.js';
import { AttemptSpan } from '../otel/attempt-span.js';
import { addWaitingAttributes } from '../waiting/waiting-attributes.js';
import { AttemptHandle } from './attempt-handle.js';
import type { AttemptRuntime } from './attempt-runtime.js';
import { attemptStorage } from './attempt-storage.js';
import { classifyFailure } from './classify-failure.js';
import { errorMessageOf, errorTypeOf } from './error-type.js';
import { emitSpanLog, jobLogAttributes } from './job-log-records.js';
import { type NormalizedDescriptor, normalizeDescriptor } from './normalize-descriptor.js';

const propagator = new W3CTraceContextPropagator();

/** Handed to the job when instrumentation could not start: the job still runs, untraced. */
const UNTRACED_JOB: JobContext = {
  span: trace.wrapSpanContext(INVALID_SPAN_CONTEXT),
  traceId: INVALID_SPAN_CONTEXT.traceId,
  spanId: INVALID_SPAN_CONTEXT.spanId,
  step: async (_name, fn) => fn(),
  checkpoint: () => {},
};

const OK_STATUS = { code: SpanStatusCode.OK } as const;

function spanAttributes(runtime: AttemptRuntime, d: NormalizedDescriptor, startedAtMs: number): Attributes {
  const attributes: Attributes = { [ATTR_WORKER_ID]: runtime.options.serviceInstanceId };
  const extra = d.attributes;
  // The adapter's extras come from user code: validated and bounded as OpenTelemetry would.
  if (extra) Object.assign(attributes, runtime.attemptSpans.userAttributes(extra));
  attributes[ATTR_MESSAGING_SYSTEM] = d.system;
  attributes[ATTR_MESSAGING_OPERATION_TYPE] = MESSAGING_OPERATION_PROCESS;
  attributes[ATTR_MESSAGING_OPERATION_NAME] = MESSAGING_OPERATION_PROCESS;
  attributes[ATTR_MESSAGING_DESTINATION_NAME] = d.queue;
  attributes[ATTR_MESSAGING_MESSAGE_ID] = d.jobId;
  attributes[ATTR_JOB_ID] = d.jobId;
  attributes[ATTR_JOB_NAME] = d.jobName;
  attributes[ATTR_JOB_ATTEMPT] = d.attempt;
  if (d.maxAttempts !== undefined) attributes[ATTR_JOB_MAX_ATTEMPTS] = d.maxAttempts;
  if (typeof d.readyAtMs === 'number' && Number.isFinite(d.readyAtMs)) {
    attributes[ATTR_JOB_QUEUE_WAIT] = Math.max(0, startedAtMs - d.readyAtMs) / 1000;
  }
  if (typeof d.monitorSlug === 'string' && d.monitorSlug !== '')
    attributes[ATTR_MONITOR_SLUG] = d.monitorSlug;
  if (runtime.isDiagnostic()) attributes[ATTR_DIAGNOSTIC_MODE] = true;
  return runtime.attemptSpans.withinLengthLimit(attributes);
}

/**
 * Whether this attempt writes `job started` at once (and so `job ended` too). Otherwise the record
 * waits `startedRecordDelayMillis`: an attempt that ends sooner is fully described by its span. With
 * tail sampling the span of a healthy attempt may be dropped, and then the records are all the
 * analyzer and its monitors get, so they stay immediate.
 */
function recordsAtOnce(runtime: AttemptRuntime): boolean {
  return (
    runtime.options.startedRecordDelayMillis === 0 ||
    runtime.options.sampling.keepOneInHealthy > 1 ||
    runtime.isDiagnostic()
  );
}

function beginAttempt(runtime: AttemptRuntime, descriptor: AttemptDescriptor): AttemptHandle {
  const d = normalizeDescriptor(descriptor, MESSAGING_SYSTEM_GENERIC);
  const startedAtMs = Date.now();
  let parent = ROOT_CONTEXT;
  let links: Link[] | undefined;
  if (d.producerCarrier && typeof d.producerCarrier === 'object') {
    const extracted = propagator.extract(ROOT_CONTEXT, d.producerCarrier, defaultTextMapGetter);
    const producer = trace.getSpanContext(extracted);
    if (producer && isSpanContextValid(producer)) {
      parent = extracted;
      links = [{ context: producer, attributes: { [ATTR_LINK_TYPE]: LINK_TYPE_PRODUCER } }];
    }
  }
  const previous = d.previousAttempt;
  if (previous) {
    const previousContext = {
      traceId: previous.traceId,
      spanId: previous.spanId,
      traceFlags: TraceFlags.SAMPLED,
      isRemote: true,
    };
    if (isSpanContextValid(previousContext)) {
      links ??= [];
      links.push({ context: previousContext, attributes: { [ATTR_LINK_TYPE]: LINK_TYPE_PREVIOUS_ATTEMPT } });
    }
  }
  const span = runtime.attemptSpans.start(
    attemptSpanName(d.queue),
    { kind: SpanKind.CONSUMER, attributes: spanAttributes(runtime, d, startedAtMs), links, startedAtMs },
    parent,
  );
  const handle = new AttemptHandle(runtime, d, span, parent, startedAtMs);
  if (span instanceof AttemptSpan) {
    // Both events happen as the span starts: its start time serves them (shared, never mutated).
    const fetchedAt =
      typeof d.fetchedAtMs === 'number' && d.fetchedAtMs < startedAtMs
        ? millisToHrTime(d.fetchedAtMs)
        : span.startTime;
    span.addLifecycleEvent(EVENT_JOB_FETCHED, fetchedAt);
    span.addLifecycleEvent(EVENT_JOB_STARTED, span.startTime);
  } else {
    // A span of OpenTelemetry's tracer (a producer that was not sampled): its own clock and checks.
    span.addEvent(EVENT_JOB_FETCHED);
    span.addEvent(EVENT_JOB_STARTED);
  }
  handle.active = runtime.activeAttempts.add({
    descriptor: d,
    traceId: handle.traceId,
    spanId: handle.spanId,
    startedAtMs,
  });
  handle.series = runtime.metrics.attemptStarted(d);
  if (recordsAtOnce(runtime)) {
    emitStarted(handle);
    handle.dueMs = handle.nextStillRunningMs;
  } else {
    handle.dueMs = Math.min(
      startedAtMs + runtime.options.startedRecordDelayMillis,
      handle.nextStillRunningMs,
    );
  }
  runtime.stillRunning.add(handle);
  return handle;
}

function emitStarted(handle: AttemptHandle): void {
  handle.startedRecorded = true;
  const runtime = handle.runtime;
  emitSpanLog(
    runtime.logger,
    handle.span,
    LOG_JOB_STARTED,
    'job started',
    jobLogAttributes(handle.descriptor, runtime.options.serviceInstanceId),
    SeverityNumber.INFO,
    handle.startedAtMs,
  );
}

/**
 * Called by the still-running schedule when an attempt is due: writes its delayed `job started`
 * record, and a `still running` record every `stillRunningIntervalMillis` after its start. Returns
 * when the attempt is next due. Never throws.
 */
export function attemptDue(handle: AttemptHandle, nowMs: number): number {
  const runtime = handle.runtime;
  try {
    if (!handle.startedRecorded) emitStarted(handle);
    if (nowMs >= handle.nextStillRunningMs) {
      const interval = runtime.options.stillRunningIntervalMillis;
      // A loop blocked for several intervals yields one record, not a burst of stale ones.
      const next = handle.nextStillRunningMs + interval;
      handle.nextStillRunningMs = next > nowMs ? next : nowMs + interval;
      emitStillRunning(runtime, handle, nowMs);
    }
  } catch (error) {
    runtime.onError(new Error('writing a still-running record', { cause: error }));
  }
  return handle.nextStillRunningMs;
}

function emitStillRunning(runtime: AttemptRuntime, handle: AttemptHandle, now: number): void {
  const active = handle.active;
  if (!active) return;
  const attributes = jobLogAttributes(handle.descriptor, runtime.options.serviceInstanceId);
  const step = currentStepOf(active);
  if (step !== undefined) attributes[ATTR_JOB_CURRENT_STEP] = step;
  attributes[ATTR_JOB_SILENCE] = silenceSecondsOf(active, now);
  attributes[ATTR_JOB_ELAPSED] = Math.max(0, now - active.startedAtMs) / 1000;
  // Only a silent attempt says what it waits on: a busy one is not waiting, and its records stay small.
  if (now - active.lastActivityMs >= runtime.options.sampling.gapThresholdMillis) {
    addWaitingAttributes(attributes, handle.outbound, now);
  }
  emitSpanLog(runtime.logger, handle.span, LOG_JOB_STILL_RUNNING, 'still running', attributes);
}

function endAttempt(runtime: AttemptRuntime, handle: AttemptHandle, failed: boolean, error: unknown): void {
  const { span, descriptor: d } = handle;
  let endTime: HrTime | undefined;
  try {
    const endedAtMs = Date.now();
    const durationSeconds = Math.max(0, endedAtMs - handle.startedAtMs) / 1000;
    let outcome: JobOutcome = 'completed';
    let errorType: string | undefined;
    if (!failed) {
      span.setAttribute(ATTR_JOB_OUTCOME, outcome);
      if (span instanceof AttemptSpan) {
        // The span ends at this instant: the event's time is its end time.
        endTime = span.now();
        span.addLifecycleEvent(EVENT_JOB_COMPLETED, endTime);
      } else {
        span.addEvent(EVENT_JOB_COMPLETED);
      }
      span.setStatus(OK_STATUS);
    } else {
      const failure = classifyFailure(d, error, runtime.onError);
      outcome = failure.outcome;
      errorType = errorTypeOf(error);
      const message = errorMessageOf(error);
      const snapshot = runtime.failureSnapshot(d, handle.active, handle.failedStep);
      span.addEvent(EVENT_FAILURE_SNAPSHOT, snapshot);
      emitSpanLog(
        runtime.logger,
        span,
        LOG_FAILURE_SNAPSHOT,
        'failure snapshot',
        { ...jobLogAttributes(d, runtime.options.serviceInstanceId), ...snapshot },
        SeverityNumber.WARN,
      );
      span.recordException(error instanceof Error ? error : message);
      span.setAttributes({ [ATTR_ERROR_TYPE]: errorType, [ATTR_JOB_OUTCOME]: outcome });
      span.addEvent(EVENT_JOB_FAILED, { [ATTR_ERROR_TYPE]: errorType, [ATTR_JOB_OUTCOME]: outcome });
      if (outcome === 'retry_scheduled') {
        const retry: Attributes = {};
        if (failure.retryDelayMillis !== undefined) {
          retry[ATTR_JOB_RETRY_DELAY] = failure.retryDelayMillis / 1000;
          span.setAttribute(ATTR_JOB_RETRY_DELAY, failure.retryDelayMillis / 1000);
        }
        span.addEvent(EVENT_JOB_RETRY_SCHEDULED, retry);
      }
      span.setStatus({ code: SpanStatusCode.ERROR, message });
    }
    runtime.metrics.attemptEnded(handle.series, outcome, durationSeconds, errorType, endedAtMs);
    // Only an attempt whose start was recorded needs its end recorded: otherwise its span says it all.
    if (handle.startedRecorded) {
      const ended = jobLogAttributes(d, runtime.options.serviceInstanceId);
      ended[ATTR_JOB_OUTCOME] = outcome;
      if (errorType !== undefined) ended[ATTR_ERROR_TYPE] = errorType;
      emitSpanLog(
        runtime.logger,
        span,
        LOG_JOB_ENDED,
        'job ended',
        ended,
        failed ? SeverityNumber.WARN : SeverityNumber.INFO,
      );
    }
  } catch (instrumentationError) {
    runtime.onError(new Error('ending an attempt', { cause: instrumentationError }));
  } finally {
    runtime.stillRunning.remove(handle);
    if (handle.active) runtime.activeAttempts.remove(handle.active);
    try {
      span.end(endTime);
    } catch (endError) {
      runtime.onError(new Error('ending an attempt span', { cause: endError }));
    }
  }
}

/**
 * Runs the job in the attempt's OpenTelemetry context, so that spans of other instrumentation nest
 * under the attempt; without a context manager there is no context to enter. A named function, so
 * no closure per job.
 */
function runInContext<T>(fn: (ctx: JobContext) => Promise<T> | T, job: AttemptHandle): Promise<T> | T {
  if (!job.runtime.contextManager.registered(job.startedAtMs)) return fn(job);
  return context.with(job.attemptContext, fn, undefined, job);
}

/**
 * Runs one attempt under instrumentation. `fn`'s result or error passes through untouched; errors of
 * the instrumentation itself go to onError and the job runs anyway.
 */
export async function runAttempt<T>(
  runtime: AttemptRuntime,
  descriptor: AttemptDescriptor,
  fn: (ctx: JobContext) => Promise<T> | T,
): Promise<T> {
  let handle: AttemptHandle | undefined;
  if (!runtime.isShutDown()) {
    try {
      handle = beginAttempt(runtime, descriptor);
    } catch (error) {
      runtime.onError(new Error('starting attempt instrumentation', { cause: error }));
    }
  }
  if (!handle) return fn(UNTRACED_JOB);
  const job = handle;
  let result: T;
  try {
    // The handle is its own async-local scope: one run per attempt, no scope object, no closure.
    result = await attemptStorage.run(job, runInContext<T>, fn, job);
  } catch (error) {
    endAttempt(runtime, job, true, error);
    throw error;
  }
  endAttempt(runtime, job, false, undefined);
  return result;
}
