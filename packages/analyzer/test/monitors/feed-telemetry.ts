import type { LogRecordData, SpanRecord } from '@joblens/otlp-receiver';
import { TelemetryModel } from '../../src/model/telemetry-model.js';
import type { MonitorService } from '../../src/monitors/monitor-service.js';

/** Spans and log records read by a model, whose check-ins go to the service, as the analyzer wires them. */
export async function feedTelemetry(
  service: MonitorService,
  records: { spans?: SpanRecord[]; logs?: LogRecordData[] },
): Promise<void> {
  const model = new TelemetryModel();
  const stopListening = model.listen(service.telemetryListener);
  try {
    if (records.logs) model.ingestLogs(records.logs);
    if (records.spans) model.ingestSpans(records.spans);
  } finally {
    stopListening();
  }
  await service.flushTelemetry();
}
