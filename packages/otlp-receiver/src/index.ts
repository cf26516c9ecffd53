// The receiver's public API: the OTLP/HTTP app, the plain records it hands its sink, their redaction,
// and the decoders on their own for callers that bring their own transport.
export type { AdmissionOptions } from './admit/admit-records.js';
export type { AttributeLimits } from './admit/attribute-limits.js';
export type { TimestampBounds } from './admit/timestamp-bounds.js';
export { type LoadLimits, LoadShedder, resolveLoadLimits } from './http/load-shedder.js';
export { createOtlpApp, createOtlpListener, type OtlpAppOptions } from './http/otlp-app.js';
export { type OtlpSignal, ReceiverStats } from './http/receiver-stats.js';
export { decodeLogsJson } from './logs/json-logs.js';
export { decodeLogsProto } from './logs/proto-logs.js';
export { decodeMetricsJson } from './metrics/json-metrics.js';
export { decodeMetricsProto } from './metrics/proto-metrics.js';
export { DecodeCaches } from './protobuf/decode-caches.js';
export {
  type Attributes,
  type AttrValue,
  type HistogramValue,
  type LogRecordData,
  type MetricPointKind,
  type MetricPointRecord,
  type ResourceRecord,
  SPAN_KIND,
  type SpanEventRecord,
  type SpanLinkRecord,
  type SpanRecord,
  STATUS_CODE,
  type TelemetrySink,
} from './records/records.js';
export { type RedactionOptions, redactText, redactValue } from './records/redact.js';
export { RecordRedactor } from './records/redact-records.js';
export { stripControlCharacters } from './records/strip-control-characters.js';
export { decodeTracesJson } from './traces/json-traces.js';
export { decodeTracesProto } from './traces/proto-traces.js';
export { DecodeError } from './wire/decode-error.js';
export type { DecodeCountLimits, DecodeResult } from './wire/decode-result.js';
