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
import type { JobContext } from '../interfaces.js';
import type { AttemptRuntime } from './attempt-runtime.js';
import { attemptStorage } from './attempt-storage.js';
import { boundedJson } from './bounded-json.js';
import { errorMessageOf, errorTypeOf } from './error-type.js';
import type { NormalizedDescriptor } from './normalize-descriptor.js';

/** The running attempt as its job sees it (`JobContext`), plus what the SDK needs to end it. */
export class AttemptHandle implements JobContext {
  readonly span: Span;
  readonly traceId: string;
  readonly spanId: string;
  readonly descriptor: NormalizedDescriptor;
  readonly attemptContext: Context;
  readonly startedAtMs: number;
  readonly #runtime: AttemptRuntime;
  /** The innermost step the failure came out of, for the failure snapshot. */
  failedStep: string | undefined;
  #failedStepError: unknown;

  constructor(
    runtime: AttemptRuntime,
    descriptor: NormalizedDescriptor,
    span: Span,
    attemptContext: Context,
    startedAtMs: number,
  ) {
    this.#runtime = runtime;
    this.descriptor = descriptor;
    this.span = span;
    this.attemptContext = attemptContext;
    this.startedAtMs = startedAtMs;
    const spanContext = span.spanContext();
    this.traceId = spanContext.traceId;
    this.spanId = spanContext.spanId;
  }

  // Arrow properties so that `const { step } = ctx` works.
  step = async <T>(name: string, fn: () => Promise<T> | T): Promise<T> => {
    const runtime = this.#runtime;
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
      runtime.activeAttempts.enterStep(this.spanId, stepName, startedAtMs);
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
  };

  checkpoint = (name: string, data?: unknown): void => {
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
      this.#runtime.activeAttempts.recordCheckpoint(this.spanId, {
        name: checkpointName,
        data: json,
        atMs: at,
      });
    } catch (error) {
      this.#runtime.onError(new Error('recording a checkpoint', { cause: error }));
    }
  };

  #endStep(stepSpan: Span, stepName: string, startedAtMs: number, error: unknown, failed: boolean): void {
    const runtime = this.#runtime;
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
      runtime.activeAttempts.leaveStep(this.spanId, stepName, endedAtMs);
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
