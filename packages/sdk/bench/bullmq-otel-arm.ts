/**
 * The peer arm of the BullMQ bench: BullMQ's own OpenTelemetry telemetry (`bullmq-otel`), the
 * instrumentation a user would pick instead of joblens, set up as its guide says: the OpenTelemetry SDK
 * registered globally (an AsyncLocalStorage context manager, the W3C propagator, a tracer provider with a
 * BatchSpanProcessor) and `telemetry: new BullMQOtel(...)` on the Queue and the Worker. Spans go to the
 * same no-op exporter as the other arms': what is measured is producing them, not shipping them. The arm
 * has a process of its own (see bullmq-arms.ts), so the globals stay registered for its whole run.
 */

import { context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { BasicTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { BullMQOtel } from 'bullmq-otel';
import { noopSpanExporter } from './bare-attempt-span.js';

const provider = new BasicTracerProvider({ spanProcessors: [new BatchSpanProcessor(noopSpanExporter)] });

/** Registers the OpenTelemetry SDK globally and returns the telemetry option to give BullMQ. */
export function startBullmqOtel(): BullMQOtel {
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  trace.setGlobalTracerProvider(provider);
  return new BullMQOtel('joblens-bench-bullmq-otel');
}

export async function shutdownBullmqOtel(): Promise<void> {
  await provider.shutdown();
  trace.disable();
  propagation.disable();
  context.disable();
}
