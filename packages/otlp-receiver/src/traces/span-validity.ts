import type { SpanRecord } from '../records/records.js';
import { isValidSpanId, isValidTraceId } from '../wire/hex-id.js';

/**
 * Why a decoded span is rejected (counted in partial_success.rejected_spans), or undefined to keep it.
 * Rejected: a trace id or span id that is missing, all zeros or of the wrong length (the job model
 * keys everything by them); a parent span id of the wrong length; a missing start time; an end before
 * the start (durations and gaps would be negative). An all-zero parent id, which some exporters write
 * for root spans, has become '' (no parent) in the decoders.
 */
export function spanRejectReason(span: SpanRecord): string | undefined {
  if (!isValidTraceId(span.traceId)) return `span "${span.name}": invalid trace_id`;
  if (!isValidSpanId(span.spanId)) return `span "${span.name}": invalid span_id`;
  if (span.parentSpanId !== '' && span.parentSpanId.length !== 16) {
    return `span "${span.name}": invalid parent_span_id`;
  }
  if (!(span.startMs > 0)) return `span "${span.name}": missing start_time_unix_nano`;
  if (!(span.endMs >= span.startMs))
    return `span "${span.name}": end_time_unix_nano before start_time_unix_nano`;
  return undefined;
}
