import { nanosToMs } from '../protobuf/proto-reader.js';
import { DecodeError } from '../wire/decode-error.js';

/**
 * Reading fields of OTLP JSON (the proto3 JSON mapping): lowerCamelCase names with the original
 * snake_case names also accepted, 64-bit integers as strings or numbers, enums as integers (names
 * accepted too), unknown fields ignored. Wrong types throw a DecodeError naming the field.
 */
export type JsonObject = Record<string, unknown>;

const TWO_POW_32 = 4294967296;
const UNSIGNED_DECIMAL = /^\d{1,20}$/;
const SIGNED_DECIMAL = /^-?\d+$/;

/** Parses a request body; a BOM is tolerated, anything but an object is an error. */
export function parseJsonBody(body: Uint8Array): JsonObject {
  let text = Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  let root: unknown;
  try {
    root = JSON.parse(text);
  } catch (err) {
    throw new DecodeError(`invalid JSON: ${(err as Error).message}`);
  }
  if (!isObject(root)) throw new DecodeError('expected a JSON object');
  return root;
}

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The field's value under its JSON name or its proto name. */
export function pick(object: JsonObject, jsonName: string, protoName: string): unknown {
  // null reads as absent: some encoders write null for unset message fields.
  const value = object[jsonName] ?? object[protoName];
  return value === null ? undefined : value;
}

function fail(field: string, expected: string, value: unknown): DecodeError {
  const actual = value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;
  return new DecodeError(`expected ${expected}, got ${actual}`, field);
}

export function objectField(object: JsonObject, jsonName: string, protoName: string): JsonObject | undefined {
  const value = pick(object, jsonName, protoName);
  if (value === undefined) return undefined;
  if (!isObject(value)) throw fail(protoName, 'an object', value);
  return value;
}

export function arrayField(object: JsonObject, jsonName: string, protoName: string): unknown[] {
  const value = pick(object, jsonName, protoName);
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw fail(protoName, 'an array', value);
  return value;
}

export function stringField(object: JsonObject, jsonName: string, protoName: string): string {
  const value = pick(object, jsonName, protoName);
  if (value === undefined) return '';
  if (typeof value !== 'string') throw fail(protoName, 'a string', value);
  return value;
}

export function boolField(object: JsonObject, jsonName: string, protoName: string): boolean {
  const value = pick(object, jsonName, protoName);
  if (value === undefined) return false;
  if (typeof value !== 'boolean') throw fail(protoName, 'a boolean', value);
  return value;
}

/** An int64/uint64/fixed64 field, as a string or a number, to the nearest double. */
export function integerField(object: JsonObject, jsonName: string, protoName: string): number {
  const value = pick(object, jsonName, protoName);
  if (value === undefined) return 0;
  return integerValue(value, protoName);
}

export function integerValue(value: unknown, field: string): number {
  if (typeof value === 'number' && Number.isFinite(value)) return Math.trunc(value);
  if (typeof value === 'string' && SIGNED_DECIMAL.test(value)) return Number(value);
  throw fail(field, 'an integer', value);
}

/** A double field: a number, a numeric string, or "NaN" / "Infinity" / "-Infinity". */
export function doubleField(object: JsonObject, jsonName: string, protoName: string): number | undefined {
  const value = pick(object, jsonName, protoName);
  if (value === undefined) return undefined;
  return doubleValue(value, protoName);
}

export function doubleValue(value: unknown, field: string): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && value.trim() !== '') {
    const parsed = Number(value);
    if (!Number.isNaN(parsed) || value === 'NaN') return parsed;
  }
  throw fail(field, 'a number', value);
}

/** An enum field: its number, or its name looked up in `names` (lenient: the spec says numbers). */
export function enumField(
  object: JsonObject,
  jsonName: string,
  protoName: string,
  names: Readonly<Record<string, number>>,
): number {
  const value = pick(object, jsonName, protoName);
  if (value === undefined) return 0;
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  if (typeof value === 'string') {
    const byName = names[value];
    if (byName !== undefined) return byName;
    if (SIGNED_DECIMAL.test(value)) return Number(value);
  }
  throw fail(protoName, 'an enum number', value);
}

/**
 * A fixed64 nanosecond timestamp as fractional milliseconds, computed exactly as the protobuf
 * decoder does (from 32-bit halves) so both encodings of one request give equal records.
 */
export function nanosField(object: JsonObject, jsonName: string, protoName: string): number {
  const value = pick(object, jsonName, protoName);
  if (value === undefined) return 0;
  if (typeof value === 'string' && UNSIGNED_DECIMAL.test(value)) {
    let hi = 0;
    let lo = 0;
    for (let i = 0; i < value.length; i++) {
      lo = lo * 10 + (value.charCodeAt(i) - 48);
      const carry = Math.floor(lo / TWO_POW_32);
      lo -= carry * TWO_POW_32;
      hi = (hi * 10 + carry) % TWO_POW_32;
    }
    return nanosToMs(hi, lo);
  }
  if (typeof value === 'number' && Number.isFinite(value) && value >= 0) {
    const hi = Math.floor(value / TWO_POW_32);
    return nanosToMs(hi, Math.floor(value - hi * TWO_POW_32));
  }
  throw fail(protoName, 'a timestamp in nanoseconds', value);
}
