import {
  type Context,
  defaultTextMapGetter,
  defaultTextMapSetter,
  context as otelContext,
} from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import type { Job, JobsOptions, Queue } from 'bullmq';
import { injectJobContext as callerCarrier } from '../generic/inject-job-context.js';

// Our own propagator rather than the global one: the SDK does not require a global registration.
const propagator = new W3CTraceContextPropagator();

/**
 * `opts` with the caller's trace context stored where BullMQ's own telemetry keeps it
 * (`opts.telemetry.metadata`, JSON of the W3C carrier), so the worker's attempts join the
 * producer's trace. The context is `context` when given, else the running attempt's (or step's),
 * else OpenTelemetry's active one. Existing metadata is kept; never throws.
 */
export function injectJobContext(opts: JobsOptions = {}, context?: Context): JobsOptions {
  if (opts.telemetry?.metadata) return opts;
  let carrier: Record<string, string> = {};
  try {
    if (context) propagator.inject(context, carrier, defaultTextMapSetter);
    else carrier = callerCarrier();
  } catch {
    // Producing a job must never fail because of tracing.
  }
  if (!carrier.traceparent) return opts;
  return { ...opts, telemetry: { ...opts.telemetry, metadata: JSON.stringify(carrier) } };
}

/** `queue.add` with the active trace context attached (see {@link injectJobContext}). */
export function addWithContext<DataType, ResultType, NameType extends string>(
  queue: Queue<DataType, ResultType, NameType>,
  name: NameType,
  data: DataType,
  opts?: JobsOptions,
): Promise<Job<DataType, ResultType, NameType>> {
  return queue.add(name as never, data as never, injectJobContext(opts)) as Promise<
    Job<DataType, ResultType, NameType>
  >;
}

function carrierFrom(value: unknown): Record<string, string> | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const { traceparent, tracestate } = value as Record<string, unknown>;
  if (typeof traceparent !== 'string') return undefined;
  // Validated by parsing: a malformed header from a producer must not become a broken parent.
  const parsed = propagator.extract(
    otelContext.active(),
    { traceparent, tracestate: typeof tracestate === 'string' ? tracestate : undefined },
    defaultTextMapGetter,
  );
  if (parsed === otelContext.active()) return undefined;
  return typeof tracestate === 'string' ? { traceparent, tracestate } : { traceparent };
}

/**
 * The producer's W3C carrier: from `opts.telemetry.metadata` (BullMQ's telemetry, or
 * {@link injectJobContext}), else a `traceparent` in the job data itself or in its `trace`,
 * `traceContext` or `_traceContext` field (payload-carried context, as generic producers write it).
 */
export function producerCarrierOf(job: Pick<Job, 'opts' | 'data'>): Record<string, string> | undefined {
  const metadata = job.opts?.telemetry?.metadata;
  if (typeof metadata === 'string' && metadata !== '') {
    try {
      const carrier = carrierFrom(JSON.parse(metadata));
      if (carrier) return carrier;
    } catch {
      // Foreign metadata that is not JSON: fall through to the payload.
    }
  }
  const data = job.data as Record<string, unknown> | null | undefined;
  if (!data || typeof data !== 'object') return undefined;
  return (
    carrierFrom(data) ??
    carrierFrom(data.trace) ??
    carrierFrom(data.traceContext) ??
    carrierFrom(data._traceContext)
  );
}
