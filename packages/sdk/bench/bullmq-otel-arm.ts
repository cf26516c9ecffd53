/**
 * The peer arm of the BullMQ bench: BullMQ's own OpenTelemetry telemetry (`bullmq-otel`), the
 * instrumentation a user would pick instead of joblens, set up as its guide says: the OpenTelemetry SDK
 * registered globally (an AsyncLocalStorage context manager, the W3C propagator, a tracer provider with a
 * BatchSpanProcessor) and `telemetry: new BullMQOtel(...)` on the Queue and the Worker. Spans go to the
 * same no-op exporter as the other arms': what is measured is producing them, not shipping them.
 *
 * The globals are registered only while this arm runs (`withBullmqOtel`) and taken down after, so the
 * other arms, joblens's among them, run as they would in a process without them.
 */

import { context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { BasicTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { BullMQOtel } from 'bullmq-otel';
import { noopSpanExporter } from './bare-attempt-span.js';

const provider = new BasicTracerProvider({ spanProcessors: [new BatchSpanProcessor(noopSpanExporter)] });

/** Runs `work` with the OpenTelemetry SDK registered globally, handing it the telemetry option to set. */
export async function withBullmqOtel<T>(work: (telemetry: BullMQOtel) => Promise<T>): Promise<T> {
  const contextManager = new AsyncLocalStorageContextManager().enable();
  context.setGlobalContextManager(contextManager);
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  trace.setGlobalTracerProvider(provider);
  try {
    return await work(new BullMQOtel('joblens-bench-bullmq-otel'));
  } finally {
    await provider.forceFlush();
    trace.disable();
    propagation.disable();
    context.disable();
  }
}

export function shutdownBullmqOtel(): Promise<void> {
  return provider.shutdown();
}
