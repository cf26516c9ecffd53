import { InMemoryLogRecordExporter, type ReadableLogRecord } from '@opentelemetry/sdk-logs';
import { type CollectionResult, type MetricData, MetricReader } from '@opentelemetry/sdk-metrics';
import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import type { Joblens, JoblensOptions } from '../../src/interfaces.js';
import { startJoblens } from '../../src/start-joblens.js';

/** A metric reader that only collects when the test asks. */
class OnDemandMetricReader extends MetricReader {
  protected override async onForceFlush(): Promise<void> {}
  protected override async onShutdown(): Promise<void> {}
}

export type InMemoryJoblens = {
  joblens: Joblens;
  errors: Error[];
  /** Flushes, then returns every exported span. */
  spans(): Promise<ReadableSpan[]>;
  /** Flushes, then returns every exported log record. */
  logs(): Promise<ReadableLogRecord[]>;
  /** Collects now and returns the metric with this name, if any. */
  metric(name: string): Promise<MetricData | undefined>;
  shutdown(): Promise<void>;
};

/**
 * The SDK wired to OpenTelemetry's real in-memory exporters, with the process-wide parts (signal
 * handlers, the watchdog thread, dump signals) off so that tests can run side by side.
 */
export function startInMemoryJoblens(options: JoblensOptions = {}): InMemoryJoblens {
  const spanExporter = new InMemorySpanExporter();
  const logExporter = new InMemoryLogRecordExporter();
  const reader = new OnDemandMetricReader();
  const errors: Error[] = [];
  const joblens = startJoblens({
    serviceName: 'test-worker',
    flushOnSignals: false,
    dumpSignal: false,
    watchdog: { enabled: false },
    onError: (error) => errors.push(error),
    spanExporter,
    logRecordExporter: logExporter,
    metricReader: reader,
    ...options,
  });
  return {
    joblens,
    errors,
    spans: async () => {
      await joblens.forceFlush();
      return spanExporter.getFinishedSpans();
    },
    logs: async () => {
      await joblens.forceFlush();
      return logExporter.getFinishedLogRecords();
    },
    metric: async (name) => {
      const result: CollectionResult = await reader.collect();
      for (const scope of result.resourceMetrics.scopeMetrics) {
        const found = scope.metrics.find((m) => m.descriptor.name === name);
        if (found) return found;
      }
      return undefined;
    },
    shutdown: () => joblens.shutdown(),
  };
}

/** A small descriptor factory: every test job differs only where it says so. */
export function aJob(
  overrides: Partial<Parameters<Joblens['runAttempt']>[0]> = {},
): Parameters<Joblens['runAttempt']>[0] {
  return { queue: 'emails', jobName: 'send-welcome-email', jobId: 'job-1', ...overrides };
}

export function sleep(millis: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, millis));
}
