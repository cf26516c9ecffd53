/** Trace and span ids: bytes to lowercase hex through a lookup table, and validation of the result. */

const BYTE_TO_HEX: string[] = [];
for (let i = 0; i < 256; i++) BYTE_TO_HEX.push(i.toString(16).padStart(2, '0'));

const HEX_ID = /^[0-9a-f]*$/;
const ZERO_TRACE_ID = '0'.repeat(32);
const ZERO_SPAN_ID = '0'.repeat(16);

/** Lowercase hex of bytes [start, end). */
export function hexOf(buf: Uint8Array, start: number, end: number): string {
  let hex = '';
  for (let i = start; i < end; i++) hex += BYTE_TO_HEX[buf[i]];
  return hex;
}

/** A 32-character, not all-zero trace id (the W3C and OTLP definition of valid). */
export function isValidTraceId(id: string): boolean {
  return id.length === 32 && id !== ZERO_TRACE_ID;
}

/** A 16-character, not all-zero span id. */
export function isValidSpanId(id: string): boolean {
  return id.length === 16 && id !== ZERO_SPAN_ID;
}

/**
 * An id from OTLP JSON: hex as the OTLP spec says, or base64 as a generic proto3 JSON encoder writes
 * bytes (the lengths never collide: 16 bytes are 32 hex or 24 base64 characters). Returns lowercase
 * hex, or `undefined` when the text is neither.
 */
export function idFromJson(text: string, byteLength: number): string | undefined {
  if (text.length === 0) return '';
  if (text.length === byteLength * 2) {
    const lower = text.toLowerCase();
    return HEX_ID.test(lower) ? lower : undefined;
  }
  const bytes = Buffer.from(text, 'base64');
  if (bytes.length !== byteLength) return undefined;
  return hexOf(bytes, 0, bytes.length);
}
