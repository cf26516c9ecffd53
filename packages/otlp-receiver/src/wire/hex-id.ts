/** Trace and span ids: bytes to lowercase hex through lookup tables, and validation of the result. */

const BYTE_TO_HEX: string[] = [];
for (let i = 0; i < 256; i++) BYTE_TO_HEX.push(i.toString(16).padStart(2, '0'));

const HEX_ID = /^[0-9a-f]*$/;
const ALL_ZEROS = /^0*$/;

/** Char code of each byte's high and low hex digit, for the fixed-length id forms below. */
const HIGH_DIGIT = new Uint8Array(256);
const LOW_DIGIT = new Uint8Array(256);
for (let i = 0; i < 256; i++) {
  HIGH_DIGIT[i] = BYTE_TO_HEX[i].charCodeAt(0);
  LOW_DIGIT[i] = BYTE_TO_HEX[i].charCodeAt(1);
}
const fromCharCode = String.fromCharCode;

/**
 * Lowercase hex of bytes [start, end), or '' when they are all zero: an all-zero id means "none" in
 * OTLP (no parent, no trace context), and as '' it fails the length checks of required ids.
 */
export function hexOf(buf: Uint8Array, start: number, end: number): string {
  const length = end - start;
  if (length === 8) return spanIdHex(buf, start);
  if (length === 16) return traceIdHex(buf, start);
  return hexOfAnyLength(buf, start, end);
}

/**
 * The 8 bytes at `at` as hex ('' when all zero), built by one fromCharCode call: concatenating table
 * strings made a chain of cons strings per id, which cost more to build and then had to be
 * flattened when the model first hashed the id as a map key.
 */
function spanIdHex(buf: Uint8Array, at: number): string {
  const b0 = buf[at];
  const b1 = buf[at + 1];
  const b2 = buf[at + 2];
  const b3 = buf[at + 3];
  const b4 = buf[at + 4];
  const b5 = buf[at + 5];
  const b6 = buf[at + 6];
  const b7 = buf[at + 7];
  if ((b0 | b1 | b2 | b3 | b4 | b5 | b6 | b7) === 0) return '';
  const h = HIGH_DIGIT;
  const l = LOW_DIGIT;
  // biome-ignore format: one byte per line
  return fromCharCode(
    h[b0], l[b0], h[b1], l[b1], h[b2], l[b2], h[b3], l[b3],
    h[b4], l[b4], h[b5], l[b5], h[b6], l[b6], h[b7], l[b7],
  );
}

/** The 16 bytes at `at` as hex ('' when all zero), in one flat string as spanIdHex. */
function traceIdHex(buf: Uint8Array, at: number): string {
  const b0 = buf[at];
  const b1 = buf[at + 1];
  const b2 = buf[at + 2];
  const b3 = buf[at + 3];
  const b4 = buf[at + 4];
  const b5 = buf[at + 5];
  const b6 = buf[at + 6];
  const b7 = buf[at + 7];
  const b8 = buf[at + 8];
  const b9 = buf[at + 9];
  const b10 = buf[at + 10];
  const b11 = buf[at + 11];
  const b12 = buf[at + 12];
  const b13 = buf[at + 13];
  const b14 = buf[at + 14];
  const b15 = buf[at + 15];
  if ((b0 | b1 | b2 | b3 | b4 | b5 | b6 | b7 | b8 | b9 | b10 | b11 | b12 | b13 | b14 | b15) === 0) return '';
  const h = HIGH_DIGIT;
  const l = LOW_DIGIT;
  // biome-ignore format: one byte per line
  return fromCharCode(
    h[b0], l[b0], h[b1], l[b1], h[b2], l[b2], h[b3], l[b3],
    h[b4], l[b4], h[b5], l[b5], h[b6], l[b6], h[b7], l[b7],
    h[b8], l[b8], h[b9], l[b9], h[b10], l[b10], h[b11], l[b11],
    h[b12], l[b12], h[b13], l[b13], h[b14], l[b14], h[b15], l[b15],
  );
}

/** Any other length: such ids fail validation anyway, so this path need not be fast. */
function hexOfAnyLength(buf: Uint8Array, start: number, end: number): string {
  let hex = '';
  let any = 0;
  for (let i = start; i < end; i++) {
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
