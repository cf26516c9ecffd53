import {
  ATTR_CHECKPOINT_DATA,
  ATTR_CHECKPOINT_NAME,
  ATTR_ERROR_TYPE,
  ATTR_STEP_DURATION,
  ATTR_STEP_NAME,
  EVENT_CHECKPOINT,
  EVENT_STEP_ENDED,
  EVENT_STEP_STARTED,
  MAX_CHECKPOINT_DATA_BYTES,
} from '@joblens/semconv';
import {
  type Attributes,
  type Context,
  context,
  type Span,
  SpanKind,
  SpanStatusCode,
  trace,
} from '@opentelemetry/api';
import type { ActiveAttempt } from '../active-attempts.js';
import type { JobContext } from '../interfaces.js';
import type { JobSeries } from '../metrics/job-series-table.js';
import type { OutboundOperations } from '../waiting/outbound-operations.js';
import type { AttemptRuntime } from './attempt-runtime.js';
import { type AttemptScope, attemptStorage } from './attempt-storage.js';
import { boundedJson } from './bounded-json.js';
import { errorMessageOf, errorTypeOf } from './error-type.js';
import type { NormalizedDescriptor } from './normalize-descriptor.js';

/**
 * The running attempt as its job sees it (`JobContext`), plus what the SDK needs to end it. It is
 * also its own async-local scope (`job`, `span`, `context`), so running an attempt allocates no
 * scope object, and `step`/`checkpoint` are bound only when a job first reads them: a job that
 * never uses them costs no closures (under tsx every closure also costs a `name` redefinition).
 */
export class AttemptHandle implements JobContext, AttemptScope {
  readonly span: Span;
  readonly traceId: string;
  readonly spanId: string;
  readonly descriptor: NormalizedDescriptor;
  readonly #parentContext: Context;
  #attemptContext: Context | undefined;
  readonly startedAtMs: number;
  readonly runtime: AttemptRuntime;
  /** This attempt in the registry of running attempts, once added. */
  active: ActiveAttempt | undefined;
  /** Where the still-running schedule keeps this attempt; -1 when it is not scheduled. */
  scheduleIndex = -1;
  /** This attempt's metric series, looked up once at its start. */
  series: JobSeries | undefined;
  /** Whether the `job started` record went out (then `job ended` follows it). */
  startedRecorded = false;
  /** Unix ms when the next `still running` record is due. */
  nextStillRunningMs: number;
  /** Unix ms when the still-running schedule should next call this attempt. */
  dueMs = 0;
  /** The outbound calls this attempt has open, from its first one on (see `waiting/`). */
  outbound: OutboundOperations | undefined;
  /** The innermost step the failure came out of, for the failure snapshot. */
  failedStep: string | undefined;
  #failedStepError: unknown;
  #step: JobContext['step'] | undefined;
  #checkpoint: JobContext['checkpoint'] | undefined;

  constructor(
    runtime: AttemptRuntime,
    descriptor: NormalizedDescriptor,
    span: Span,
    parentContext: Context,
    startedAtMs: number,
  ) {
    this.runtime = runtime;
    this.descriptor = descriptor;
    this.span = span;
    this.#parentContext = parentContext;
    this.startedAtMs = startedAtMs;
    this.nextStillRunningMs = startedAtMs + runtime.options.stillRunningIntervalMillis;
    const spanContext = span.spanContext();
    this.traceId = spanContext.traceId;
    this.spanId = spanContext.spanId;
  }

  /** The parent's context with this attempt's span: built when first needed (steps, a context manager). */
  get attemptContext(): Context {
    this.#attemptContext ??= trace.setSpan(this.#parentContext, this.span);
    return this.#attemptContext;
  }

  get job(): JobContext {
    return this;
  }

  get context(): Context {
    return this.attemptContext;
  }

  // Bound on first read so that `const { step } = ctx` works.
  get step(): JobContext['step'] {
    this.#step ??= this.#runStep.bind(this);
    return this.#step;
  }

  get checkpoint(): JobContext['checkpoint'] {
    this.#checkpoint ??= this.#recordCheckpoint.bind(this);
    return this.#checkpoint;
  }

  async #runStep<T>(name: string, fn: () => Promise<T> | T): Promise<T> {
    const runtime = this.runtime;
    const stepName = String(name);
    let stepSpan: Span | undefined;
    let stepContext: Context | undefined;
    const startedAtMs = Date.now();
    try {
      const scope = attemptStorage.getStore();
      const parent = scope && scope.job === this ? scope.context : this.attemptContext;
      stepSpan = runtime.tracer.startSpan(
        stepName,
        { kind: SpanKind.INTERNAL, attributes: { [ATTR_STEP_NAME]: stepName } },
        parent,
      );
      stepContext = trace.setSpan(parent, stepSpan);
      if (this.active) runtime.activeAttempts.enterStep(this.active, stepName, startedAtMs);
      if (runtime.isDiagnostic()) this.span.addEvent(EVENT_STEP_STARTED, { [ATTR_STEP_NAME]: stepName });
    } catch (error) {
      runtime.onError(new Error(`starting step ${stepName}`, { cause: error }));
    }
    if (!stepSpan || !stepContext) return fn();
    const scope = { job: this, span: stepSpan, context: stepContext };
    const ctx = stepContext;
    try {
      const result = await attemptStorage.run(scope, () => context.with(ctx, fn));
      this.#endStep(stepSpan, stepName, startedAtMs, undefined, false);
      return result;
    } catch (error) {
      this.#endStep(stepSpan, stepName, startedAtMs, error, true);
      throw error;
    }
  }

  #recordCheckpoint(name: string, data?: unknown): void {
    try {
      const at = Date.now();
      const checkpointName = String(name);
      const attributes: Attributes = { [ATTR_CHECKPOINT_NAME]: checkpointName };
      let json: string | undefined;
      if (data !== undefined) {
        json = boundedJson(data, MAX_CHECKPOINT_DATA_BYTES);
        attributes[ATTR_CHECKPOINT_DATA] = json;
      }
      this.span.addEvent(EVENT_CHECKPOINT, attributes);
      if (this.active)
        this.runtime.activeAttempts.recordCheckpoint(this.active, {
          name: checkpointName,
          data: json,
          atMs: at,
        });
    } catch (error) {
      this.runtime.onError(new Error('recording a checkpoint', { cause: error }));
    }
  }

  #endStep(stepSpan: Span, stepName: string, startedAtMs: number, error: unknown, failed: boolean): void {
    const runtime = this.runtime;
    try {
      const endedAtMs = Date.now();
      if (failed) {
        const errorType = errorTypeOf(error);
        stepSpan.recordException(error instanceof Error ? error : errorMessageOf(error));
        stepSpan.setAttribute(ATTR_ERROR_TYPE, errorType);
        stepSpan.setStatus({ code: SpanStatusCode.ERROR, message: errorMessageOf(error) });
        if (this.#failedStepError !== error || this.failedStep === undefined) {
          // Inner steps end first, so the first step to see an error is where it came from.
          this.failedStep = stepName;
          this.#failedStepError = error;
        }
      }
      stepSpan.end();
      if (this.active) runtime.activeAttempts.leaveStep(this.active, stepName, endedAtMs);
      if (runtime.isDiagnostic()) {
        const attributes: Attributes = {
          [ATTR_STEP_NAME]: stepName,
          [ATTR_STEP_DURATION]: (endedAtMs - startedAtMs) / 1000,
        };
        if (failed) attributes[ATTR_ERROR_TYPE] = errorTypeOf(error);
        this.span.addEvent(EVENT_STEP_ENDED, attributes);
      }
    } catch (instrumentationError) {
      runtime.onError(new Error(`ending step ${stepName}`, { cause: instrumentationError }));
    }
  }
}
