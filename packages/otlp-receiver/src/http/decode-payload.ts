import { decodeLogsJson } from '../logs/json-logs.js';
import { decodeLogsProto } from '../logs/proto-logs.js';
import { decodeMetricsJson } from '../metrics/json-metrics.js';
import { decodeMetricsProto } from '../metrics/proto-metrics.js';
import type { DecodeCaches } from '../protobuf/decode-caches.js';
import type { LogRecordData, MetricPointRecord, SpanRecord, TelemetrySink } from '../records/records.js';
import type { RecordRedactor } from '../records/redact-records.js';
import { decodeTracesJson } from '../traces/json-traces.js';
import { decodeTracesProto } from '../traces/proto-traces.js';
import type { DecodeCountLimits, DecodeResult } from '../wire/decode-result.js';
import type { OtlpFormat } from './otlp-response.js';
import type { OtlpSignal } from './receiver-stats.js';

type AnyRecord = SpanRecord | LogRecordData | MetricPointRecord;

type Decoder = (
  body: Uint8Array,
  caches: DecodeCaches,
  limits?: DecodeCountLimits,
) => DecodeResult<AnyRecord>;

const DECODERS: Readonly<Record<OtlpSignal, Record<OtlpFormat, Decoder>>> = {
  traces: {
    protobuf: (body, caches, limits) => decodeTracesProto(body, limits, caches),
    json: (body) => decodeTracesJson(body),
  },
  logs: { protobuf: (body, caches) => decodeLogsProto(body, caches), json: (body) => decodeLogsJson(body) },
  metrics: {
    protobuf: (body, caches) => decodeMetricsProto(body, caches),
    json: (body) => decodeMetricsJson(body),
  },
};

/**
 * Decodes one request body of a signal in a format. An empty body is an empty request (valid in
 * both encodings as the receiver sees it). Throws DecodeError, or anything a decoder bug throws.
 * `caches` are the receiver's protobuf caches, kept from one request to the next; `limits` lets the
 * protobuf span decoder skip what the attribute limits would drop anyway.
 */
export function decodePayload(
  signal: OtlpSignal,
  format: OtlpFormat,
  body: Uint8Array,
  caches: DecodeCaches,
  limits?: DecodeCountLimits,
): DecodeResult<AnyRecord> {
  if (body.length === 0) return { records: [], rejected: 0, rejectReason: '' };
  return DECODERS[signal][format](body, caches, limits);
}

/** Hands decoded records to the sink method of their signal. */
export function deliver(sink: TelemetrySink, signal: OtlpSignal, records: AnyRecord[]): unknown {
  if (signal === 'traces') return sink.acceptSpans(records as SpanRecord[]);
  if (signal === 'logs') return sink.acceptLogs(records as LogRecordData[]);
  return sink.acceptMetrics(records as MetricPointRecord[]);
}

/** Redacts decoded records of a signal in place (see RecordRedactor). */
export function redactRecords(redactor: RecordRedactor, signal: OtlpSignal, records: AnyRecord[]): void {
  if (signal === 'traces') redactor.spans(records as SpanRecord[]);
  else if (signal === 'logs') redactor.logs(records as LogRecordData[]);
  else redactor.metrics(records as MetricPointRecord[]);
}
