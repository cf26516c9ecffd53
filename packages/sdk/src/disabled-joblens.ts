import { INVALID_SPAN_CONTEXT, trace } from '@opentelemetry/api';
import type { JobContext, Joblens } from './interfaces.js';

/**
 * OpenTelemetry's switch for turning an SDK off without touching code (`OTEL_SDK_DISABLED=true`, any
 * letter case, as the specification reads booleans).
 */
export function isSdkDisabled(env: Record<string, string | undefined> = process.env): boolean {
  return env.OTEL_SDK_DISABLED?.trim().toLowerCase() === 'true';
}

/** A span that records nothing, shared: it has no state to keep apart. */
const NO_SPAN = trace.wrapSpanContext(INVALID_SPAN_CONTEXT);

const NO_JOB: JobContext = {
  span: NO_SPAN,
  traceId: INVALID_SPAN_CONTEXT.traceId,
  spanId: INVALID_SPAN_CONTEXT.spanId,
  step: async (_name, fn) => fn(),
  checkpoint: () => {},
};

/**
 * The handle `startJoblens` returns while the SDK is disabled: no providers, exporters, timers, signal
 * handlers or watchdog. Jobs run through it (and through the adapters, which only call `runAttempt`)
 * exactly as they would uninstrumented, their results and errors untouched.
 */
export function createDisabledJoblens(serviceInstanceId: string): Joblens {
  return {
    serviceInstanceId,
    runAttempt: async (_descriptor, fn) => fn(NO_JOB),
    watchQueue: () => () => {},
    watchConsumer: () => () => {},
    dump: async () => undefined,
    setDiagnosticMode: () => {},
    diagnosticMode: false,
    reportError: () => {},
    forceFlush: async () => {},
    shutdown: async () => {},
  };
}
