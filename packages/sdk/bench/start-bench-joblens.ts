import {
  AggregationTemporality,
  InMemoryMetricExporter,
  PeriodicExportingMetricReader,
} from '@opentelemetry/sdk-metrics';
import type { Joblens, JoblensOptions } from '../src/interfaces.js';
import { startJoblens } from '../src/start-joblens.js';
import { noopLogExporter, noopSpanExporter } from './bare-attempt-span.js';

/**
 * The SDK as the benches start it: spans and logs into no-op exporters and metrics into memory, read
 * only every ten minutes (what is measured is producing telemetry, not shipping it), and no signal
 * handlers (the bench process is not a worker to flush or dump).
 */
export function startBenchJoblens(serviceName: string, options: JoblensOptions = {}): Joblens {
  return startJoblens({
    serviceName,
    spanExporter: noopSpanExporter,
    logRecordExporter: noopLogExporter,
    metricReader: new PeriodicExportingMetricReader({
      exporter: new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE),
      exportIntervalMillis: 600_000,
    }),
    flushOnSignals: false,
    dumpSignal: false,
    ...options,
  });
}
