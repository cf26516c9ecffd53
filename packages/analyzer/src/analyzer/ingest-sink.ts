import type { TelemetryModel } from '../model/telemetry-model.js';
import type { AttachedMonitors } from '../monitors/attach-monitors.js';

// Typed by the model's own signatures rather than the receiver's record types: of the analyzer's wiring,
// only analyzer.ts imports the receiver, and it checks that this sink is a TelemetrySink.
type IngestingModel = Pick<TelemetryModel, 'ingestSpans' | 'ingestLogs' | 'ingestMetrics'>;

/**
 * Where the receiver hands decoded telemetry (a `TelemetrySink`). Records are read once, by the model;
 * the monitors take their check-ins from what it read, applied once the batch is in.
 */
export function createIngestSink(
  model: IngestingModel,
  monitors: Pick<AttachedMonitors, 'flushTelemetry'>,
  retryAfterSeconds: () => number | undefined,
) {
  return {
    acceptSpans(spans: Parameters<IngestingModel['ingestSpans']>[0]): void {
      model.ingestSpans(spans);
      monitors.flushTelemetry();
    },
    acceptLogs(logs: Parameters<IngestingModel['ingestLogs']>[0]): void {
      model.ingestLogs(logs);
      monitors.flushTelemetry();
    },
    acceptMetrics(points: Parameters<IngestingModel['ingestMetrics']>[0]): void {
      model.ingestMetrics(points);
    },
    overloadedRetryAfterSeconds: retryAfterSeconds,
  };
}
