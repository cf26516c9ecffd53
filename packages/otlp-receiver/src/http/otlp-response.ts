import type { OtlpSignal } from './receiver-stats.js';

/** The two OTLP/HTTP payload encodings; replies use the request's. */
export type OtlpFormat = 'protobuf' | 'json';

export const CONTENT_TYPES: Readonly<Record<OtlpFormat, string>> = {
  protobuf: 'application/x-protobuf',
  json: 'application/json',
};

/** google.rpc.Code values used in error bodies. */
export const RPC_CODE = {
  INVALID_ARGUMENT: 3,
  RESOURCE_EXHAUSTED: 8,
  UNIMPLEMENTED: 12,
  INTERNAL: 13,
  UNAVAILABLE: 14,
  UNAUTHENTICATED: 16,
} as const;

/** partial_success field names per signal (Export*PartialSuccess field 1 in proto, camelCase in JSON). */
const REJECTED_FIELD: Readonly<Record<OtlpSignal, string>> = {
  traces: 'rejectedSpans',
  logs: 'rejectedLogRecords',
  metrics: 'rejectedDataPoints',
};

/**
 * An Export{Trace,Logs,Metrics}ServiceResponse: empty when nothing was rejected, else partial_success
 * (field 1) with the rejected count (field 1, int64) and the message (field 2).
 */
export function exportResponse(
  signal: OtlpSignal,
  format: OtlpFormat,
  rejected: number,
  errorMessage: string,
): Buffer | string {
  if (format === 'json') {
    if (rejected === 0) return '{}';
    return JSON.stringify({ partialSuccess: { [REJECTED_FIELD[signal]]: String(rejected), errorMessage } });
  }
  if (rejected === 0) return Buffer.alloc(0);
  const partial = Buffer.concat([varintField(1, rejected), stringField(2, errorMessage)]);
  return lengthDelimited(1, partial);
}

/** A google.rpc.Status body: code (field 1) and message (field 2). */
export function statusBody(format: OtlpFormat, code: number, message: string): Buffer | string {
  if (format === 'json') return JSON.stringify({ code, message });
  return Buffer.concat([varintField(1, code), stringField(2, message)]);
}

function varint(value: number): number[] {
  const bytes: number[] = [];
  let rest = value;
  while (rest >= 0x80) {
    bytes.push((rest % 0x80) | 0x80);
    rest = Math.floor(rest / 0x80);
  }
  bytes.push(rest);
  return bytes;
}

function varintField(field: number, value: number): Buffer {
  return Buffer.from([...varint(field << 3), ...varint(value)]);
}

function lengthDelimited(field: number, payload: Buffer): Buffer {
  return Buffer.concat([Buffer.from([...varint((field << 3) | 2), ...varint(payload.length)]), payload]);
}

function stringField(field: number, text: string): Buffer {
  return text === '' ? Buffer.alloc(0) : lengthDelimited(field, Buffer.from(text, 'utf8'));
}
