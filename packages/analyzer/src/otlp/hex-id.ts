/** Trace and span ids: bytes to lowercase hex through lookup tables, and validation of the result. */

/** Hex of every byte pair: one table read and one concatenation per two bytes (about 1.3 MB of strings). */
const PAIR_TO_HEX: string[] = [];
for (let i = 0; i < 65536; i++) PAIR_TO_HEX.push(i.toString(16).padStart(4, '0'));
const BYTE_TO_HEX: string[] = [];
for (let i = 0; i < 256; i++) BYTE_TO_HEX.push(i.toString(16).padStart(2, '0'));

const HEX_ID = /^[0-9a-f]*$/;
const ALL_ZEROS = /^0*$/;

/**
 * Lowercase hex of bytes [start, end), or '' when they are all zero: an all-zero id means "none" in
 * OTLP (no parent, no trace context), and as '' it fails the length checks of required ids.
 */
export function hexOf(buf: Uint8Array, start: number, end: number): string {
  let hex = '';
  let any = 0;
  let i = start;
  for (; i + 1 < end; i += 2) {
    const pair = (buf[i] << 8) | buf[i + 1];
    any |= pair;
    hex += PAIR_TO_HEX[pair];
  }
  if (i < end) {
    any |= buf[i];
    hex += BYTE_TO_HEX[buf[i]];
  }
  return any === 0 ? '' : hex;
}

/** A 32-character trace id (all-zero ids are '' by then: see hexOf). */
export function isValidTraceId(id: string): boolean {
  return id.length === 32;
}

/** A 16-character span id (all-zero ids are '' by then). */
export function isValidSpanId(id: string): boolean {
  return id.length === 16;
}

/**
 * An id from OTLP JSON: hex as the OTLP spec says, or base64 as a generic proto3 JSON encoder writes
 * bytes (the lengths never collide: 16 bytes are 32 hex or 24 base64 characters). Returns lowercase
 * hex ('' for all zeros, as hexOf), or `undefined` when the text is neither.
 */
export function idFromJson(text: string, byteLength: number): string | undefined {
  if (text.length === 0) return '';
  if (text.length === byteLength * 2) {
    const lower = text.toLowerCase();
    if (!HEX_ID.test(lower)) return undefined;
    return ALL_ZEROS.test(lower) ? '' : lower;
  }
  const bytes = Buffer.from(text, 'base64');
  if (bytes.length !== byteLength) return undefined;
  return hexOf(bytes, 0, bytes.length);
}
