import type { LogRecordData } from '../telemetry/records.js';

const ZERO_TRACE_ID = '0'.repeat(32);
const ZERO_SPAN_ID = '0'.repeat(16);

/**
 * Why a decoded log record is rejected (counted in partial_success.rejected_log_records), or undefined
 * to keep it. Trace context is optional on logs, so only a trace_id or span_id that is present with
 * the wrong length is rejected (it cannot be matched to any span and signals a broken producer). An
 * all-zero id means "no context" and becomes ''.
 */
export function logRejectReason(log: LogRecordData): string | undefined {
  if (log.traceId !== '' && log.traceId.length !== 32) return 'log record: invalid trace_id';
  if (log.spanId !== '' && log.spanId.length !== 16) return 'log record: invalid span_id';
  if (log.traceId === ZERO_TRACE_ID) log.traceId = '';
  if (log.spanId === ZERO_SPAN_ID) log.spanId = '';
  return undefined;
}
