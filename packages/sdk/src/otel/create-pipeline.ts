import { INSTRUMENTATION_SCOPE } from '@joblens/semconv';
import type { Meter, Tracer } from '@opentelemetry/api';
import type { Logger } from '@opentelemetry/api-logs';
import type { InstrumentationScope } from '@opentelemetry/core';
import { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import { BatchLogRecordProcessor, LoggerProvider } from '@opentelemetry/sdk-logs';
import { type IMetricReader, MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import {
  AlwaysOnSampler,
  BasicTracerProvider,
  BatchSpanProcessor,
  ParentBasedSampler,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import type { ResolvedOptions } from '../options.js';
import { AttemptSamplingProcessor } from '../sampling/attempt-sampling-processor.js';
import { SDK_VERSION } from '../version.js';
import { AttemptSpanStarter } from './attempt-span-starter.js';
import { settleWithin } from './bounded.js';
import { createLogExporter, createMetricExporter, createSpanExporter } from './create-exporters.js';

import { createResource } from './create-resource.js';
import { resolveSpanLimits } from './span-limits.js';

const WORKER_IDENTITY_LABELS = /^(service\.name|service\.instance\.id|host\.name)$/;

export type Pipeline = {
  readonly tracer: Tracer;
  /** Starts attempt spans, into the same processors as the tracer's. */
  readonly attemptSpans: AttemptSpanStarter;
  readonly logger: Logger;
  readonly meter: Meter;
  /** Every reader of the meter, so producers of our own can attach to them. */
  readonly metricReaders: readonly IMetricReader[];
  forceFlush(): Promise<void>;
  shutdown(): Promise<void>;
};

/** Spans go out within about a second, so a hung job's last steps are visible while it hangs. */
const SCHEDULED_DELAY_MILLIS = 1000;

/**
 * This instance's own providers, never the global ones, so that two instances (or the host's own
 * OpenTelemetry setup) do not interfere.
 */
export function createPipeline(options: ResolvedOptions, isDiagnostic: () => boolean): Pipeline {
  const resource = createResource(options);
  const timeout = options.exportTimeoutMillis;
  const buffer = {
    maxQueueSize: options.maxQueueSize,
    maxExportBatchSize: Math.min(512, options.maxQueueSize),
    scheduledDelayMillis: SCHEDULED_DELAY_MILLIS,
    exportTimeoutMillis: timeout,
  };

  const batch = new BatchSpanProcessor(
    options.spanExporter ?? createSpanExporter(options.traces, timeout),
    buffer,
  );
  // Keeping every attempt needs no tail sampler in the way: spans go straight to the batch.
  const spanProcessor: SpanProcessor =
    options.sampling.keepOneInHealthy === 1
      ? batch
      : new AttemptSamplingProcessor({
          next: batch,
          policy: options.sampling,
          maxSpansPerAttempt: options.sampling.maxSpansPerAttempt,
          isDiagnostic,
          onError: options.onError,
        });
  const spanLimits = resolveSpanLimits();
  const tracerProvider = new BasicTracerProvider({
    resource,
    spanProcessors: [spanProcessor],
    spanLimits,
    // Stated rather than read from OTEL_TRACES_SAMPLER: joblens samples per attempt when the attempt
    // ends (keeping every failure); a head sampler would drop the very jobs it exists to show.
    sampler: new ParentBasedSampler({ root: new AlwaysOnSampler() }),
  });
  const tracer = tracerProvider.getTracer(INSTRUMENTATION_SCOPE, SDK_VERSION);
  const attemptSpans = new AttemptSpanStarter(
    {
      resource,
      // The tracer's own scope object, so exporters group attempts and steps under one scope.
      instrumentationScope: (tracer as { instrumentationScope?: InstrumentationScope })
        .instrumentationScope ?? {
        name: INSTRUMENTATION_SCOPE,
        version: SDK_VERSION,
      },
      processor: spanProcessor,
      limits: spanLimits,
    },
    tracer,
  );

  const loggerProvider = new LoggerProvider({
    resource,
    processors: [
      new BatchLogRecordProcessor({
        exporter: options.logRecordExporter ?? createLogExporter(options.logs, timeout),
        ...buffer,
      }),
    ],
  });

  const readers: IMetricReader[] = [
    options.metricReader ??
      new PeriodicExportingMetricReader({
        exporter: createMetricExporter(options.metrics, timeout),
        exportIntervalMillis: options.metricExportIntervalMillis,
        exportTimeoutMillis: Math.min(timeout, options.metricExportIntervalMillis),
      }),
  ];
  if (options.prometheusPort !== undefined) {
    readers.push(
      // The worker's identity goes on every series, not only on target_info, so a scrape without a
      // Collector gives the same service_name/service_instance_id/host_name labels the Collector adds.
      new PrometheusExporter(
        { port: options.prometheusPort, withResourceConstantLabels: WORKER_IDENTITY_LABELS },
        (error) => {
          if (error)
            options.onError(
              new Error(`starting the Prometheus endpoint on port ${options.prometheusPort}`, {
                cause: error,
              }),
            );
        },
      ),
    );
  }
  const meterProvider = new MeterProvider({ resource, readers });

  const providers = [tracerProvider, loggerProvider, meterProvider];
  // Bounded so that a dead collector cannot hold a worker's shutdown hostage.
  const bound = timeout + 1000;
  return {
    tracer,
    attemptSpans,
    logger: loggerProvider.getLogger(INSTRUMENTATION_SCOPE, SDK_VERSION),
    meter: meterProvider.getMeter(INSTRUMENTATION_SCOPE, SDK_VERSION),
    metricReaders: readers,
    forceFlush: () =>
      settleWithin(
        Promise.allSettled(providers.map((p) => p.forceFlush())),
        bound,
        options.onError,
        'flushing telemetry',
      ),
    shutdown: () =>
      settleWithin(
        Promise.allSettled(providers.map((p) => p.shutdown())),
        bound,
        options.onError,
        'shutting down telemetry',
      ),
  };
}
