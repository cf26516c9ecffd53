import { context, defaultTextMapSetter, ROOT_CONTEXT, trace } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { attemptStorage } from '../../attempt/attempt-storage.js';

const propagator = new W3CTraceContextPropagator();

/**
 * W3C trace context (`traceparent`, `tracestate`) of the caller, to put in a job's payload so the
 * job's attempts join the producer's trace (`producerCarrier`). Inside an attempt it is the attempt's
 * (or its current step's) context; elsewhere the active OpenTelemetry context. Empty when there is none.
 */
export function injectJobContext(): Record<string, string> {
  const carrier: Record<string, string> = {};
  try {
    const scope = attemptStorage.getStore();
    const active = scope ? scope.context : context.active();
    if (!trace.getSpanContext(active)) return carrier;
    propagator.inject(active ?? ROOT_CONTEXT, carrier, defaultTextMapSetter);
  } catch {
    // Producing a job must never fail because of tracing.
  }
  return carrier;
}
