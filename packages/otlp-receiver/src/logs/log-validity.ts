import type { LogRecordData } from '../records/records.js';

/**
 * Why a decoded log record is rejected (counted in partial_success.rejected_log_records), or undefined
 * to keep it. Trace context is optional on logs, so only a trace_id or span_id that is present with
 * the wrong length is rejected (it cannot be matched to any span and signals a broken producer). An
 * all-zero id means "no context" and is '' by now (see hexOf).
 */
export function logRejectReason(log: LogRecordData): string | undefined {
  if (log.traceId !== '' && log.traceId.length !== 32) return 'log record: invalid trace_id';
  if (log.spanId !== '' && log.spanId.length !== 16) return 'log record: invalid span_id';
  return undefined;
}
