import type { Attributes, AttrValue } from '../records/records.js';
import { DecodeError, locate } from '../wire/decode-error.js';
import { BytesCache } from './bytes-cache.js';
import {
  expectWire,
  type ProtoReader,
  WIRE_FIXED64,
  WIRE_LENGTH_DELIMITED,
  WIRE_VARINT,
} from './proto-reader.js';

/** Sets an attribute without letting a `__proto__` key replace the object's prototype. */
export function setAttribute(target: Attributes, key: string, value: AttrValue): void {
  if (key === '__proto__') {
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  } else {
    target[key] = value;
  }
}

/** An AnyValue message in [pos, end): every variant, bytes as base64, an empty value as null. */
/**
 * Deepest nesting of array and kvlist values accepted. Real attributes nest a level or two; a bound
 * keeps a hostile body of a million nested arrays from exhausting the stack (or the CPU).
 */
export const MAX_VALUE_DEPTH = 32;

export function readAnyValue(r: ProtoReader, end: number, depth = 0): AttrValue {
  if (depth > MAX_VALUE_DEPTH) throw new DecodeError(`values nested deeper than ${MAX_VALUE_DEPTH} levels`);
  let value: AttrValue = null;
  let field = 0;
  try {
    while (r.pos < end) {
      field = 0;
      const tag = r.uint32();
      field = tag >>> 3;
      const wire = tag & 7;
      switch (field) {
        case 1:
          expectWire(wire, WIRE_LENGTH_DELIMITED);
          value = r.string(r.delimited(end));
          break;
        case 2:
          expectWire(wire, WIRE_VARINT);
          value = r.bool();
          break;
        case 3:
          expectWire(wire, WIRE_VARINT);
          value = r.int64();
          break;
        case 4:
          expectWire(wire, WIRE_FIXED64);
          value = r.double();
          break;
        case 5:
          expectWire(wire, WIRE_LENGTH_DELIMITED);
          value = readArrayValue(r, r.delimited(end), depth);
          break;
        case 6:
          expectWire(wire, WIRE_LENGTH_DELIMITED);
          value = readKeyValueList(r, r.delimited(end), depth);
          break;
        case 7:
          expectWire(wire, WIRE_LENGTH_DELIMITED);
          value = r.base64(r.delimited(end));
          break;
        default:
          r.skip(wire, end);
      }
    }
    if (r.pos !== end) throw locate(new Error('truncated'), ANY_VALUE_FIELDS[field] ?? `field_${field}`);
  } catch (err) {
    throw field === 0 ? locate(err, 'value') : locate(err, ANY_VALUE_FIELDS[field] ?? `field_${field}`);
  }
  return value;
}

const ANY_VALUE_FIELDS: Record<number, string> = {
  1: 'string_value',
  2: 'bool_value',
  3: 'int_value',
  4: 'double_value',
  5: 'array_value',
  6: 'kvlist_value',
  7: 'bytes_value',
};

function readArrayValue(r: ProtoReader, end: number, depth: number): AttrValue[] {
  const values: AttrValue[] = [];
  while (r.pos < end) {
    const tag = r.uint32();
    if (tag >>> 3 === 1) {
      expectWire(tag & 7, WIRE_LENGTH_DELIMITED);
      try {
        values.push(readAnyValue(r, r.delimited(end), depth + 1));
      } catch (err) {
        throw locate(err, 'values', values.length);
      }
    } else {
      r.skip(tag & 7, end);
    }
  }
  return values;
}

function readKeyValueList(r: ProtoReader, end: number, depth: number): Attributes {
  const values: Attributes = {};
  let index = 0;
  while (r.pos < end) {
    const tag = r.uint32();
    if (tag >>> 3 === 1) {
      expectWire(tag & 7, WIRE_LENGTH_DELIMITED);
      try {
        readKeyValue(r, r.delimited(end), values, depth + 1);
      } catch (err) {
        throw locate(err, 'values', index);
      }
      index++;
    } else {
      r.skip(tag & 7, end);
    }
  }
  return values;
}

interface KeyValuePair {
  key: string;
  value: AttrValue;
}

const MAX_CACHED_PAIR_BYTES = 64;
/** Whole KeyValue messages with a scalar value, by their bytes: most attributes repeat span after span. */
const pairCache = new BytesCache<KeyValuePair>(11, MAX_CACHED_PAIR_BYTES, { key: '', value: null });

/** A KeyValue message in [pos, end), stored into `target` (a later duplicate key wins). */
function readKeyValue(r: ProtoReader, end: number, target: Attributes, depth = 0): void {
  const start = r.pos;
  if (end - start > MAX_CACHED_PAIR_BYTES || start === end) {
    if (!readSimpleKeyValue(r, end, target)) readKeyValueInGeneral(r, end, target, depth);
    return;
  }
  const pair = pairCache.find(r.buf, r.view, start, end);
  if (pair !== undefined) {
    // Pairs with the key __proto__ are never cached, so a plain store is safe here.
    target[pair.key] = pair.value;
    r.pos = end;
    return;
  }
  const slot = pairCache.lastSlot;
  if (!readSimpleKeyValue(r, end, target)) {
    readKeyValueInGeneral(r, end, target, depth);
    return;
  }
  // The simple form holds a key and a scalar value: safe to share between records.
  const key = lastSimpleKey;
  if (key !== '__proto__') pairCache.set(slot, r.buf, r.view, start, end, { key, value: lastSimpleValue });
}

/**
 * The key and value readSimpleKeyValue stored last (saves returning a pair object from it, and
 * reading the value back through a property load on an object of ever-changing shape).
 */
let lastSimpleKey = '';
let lastSimpleValue: AttrValue = null;

/**
 * The shape nearly every attribute has: `key` (field 1) then `value` (field 2) holding one string,
 * bool, int or double, with lengths under 128. Reads it without the general loops and returns true,
 * or returns false having read nothing.
 */
function readSimpleKeyValue(r: ProtoReader, end: number, target: Attributes): boolean {
  const buf = r.buf;
  const start = r.pos;
  if (buf[start] !== 0x0a) return false;
  const keyLength = buf[start + 1];
  const keyEnd = start + 2 + keyLength;
  if (keyLength >= 0x80 || buf[keyEnd] !== 0x12 || buf[keyEnd + 1] !== end - keyEnd - 2) return false;
  const valueStart = keyEnd + 2;
  let value: AttrValue;
  switch (buf[valueStart]) {
    case 0x0a: {
      // string_value
      const length = buf[valueStart + 1];
      if (valueStart + 2 + length !== end || length >= 0x80) return false;
      r.pos = valueStart + 2;
      value = r.string(end);
      break;
    }
    case 0x10: {
      // bool_value
      const flag = buf[valueStart + 1];
      if (valueStart + 2 !== end || flag > 1) return false;
      value = flag === 1;
      break;
    }
    case 0x18:
      // int_value
      r.pos = valueStart + 1;
      value = r.int64();
      if (r.pos !== end) {
        r.pos = start;
        return false;
      }
      break;
    case 0x21:
      // double_value
      if (valueStart + 9 !== end) return false;
      value = r.view.getFloat64(valueStart + 1, true);
      break;
    default:
      return false;
  }
  r.pos = start + 2;
  const key = r.string(keyEnd);
  r.pos = end;
  setAttribute(target, key, value);
  lastSimpleKey = key;
  lastSimpleValue = value;
  return true;
}

function readKeyValueInGeneral(r: ProtoReader, end: number, target: Attributes, depth: number): void {
  let key = '';
  let value: AttrValue = null;
  while (r.pos < end) {
    const tag = r.uint32();
    const field = tag >>> 3;
    if (field === 1) {
      expectWire(tag & 7, WIRE_LENGTH_DELIMITED);
      key = r.string(r.delimited(end));
    } else if (field === 2) {
      expectWire(tag & 7, WIRE_LENGTH_DELIMITED);
      value = readAnyValue(r, r.delimited(end), depth);
    } else {
      r.skip(tag & 7, end);
    }
  }
  if (r.pos !== end) throw locate(new Error('truncated'), 'key');
  setAttribute(target, key, value);
}

/** Reads one `repeated KeyValue attributes` element (the caller has read the tag). */
export function readAttribute(r: ProtoReader, wire: number, end: number, target: Attributes): void {
  expectWire(wire, WIRE_LENGTH_DELIMITED);
  readKeyValue(r, r.delimited(end), target);
}

/** A Resource message's attributes (field 1); the rest of Resource is not needed. */
export function readResourceAttributes(r: ProtoReader, end: number): Attributes {
  const attributes: Attributes = {};
  let index = 0;
  while (r.pos < end) {
    const tag = r.uint32();
    if (tag >>> 3 === 1) {
      try {
        readAttribute(r, tag & 7, end, attributes);
      } catch (err) {
        throw locate(err, 'attributes', index);
      }
      index++;
    } else {
      r.skip(tag & 7, end);
    }
  }
  if (r.pos !== end) throw locate(new Error('truncated'), 'attributes', index);
  return attributes;
}

/** An InstrumentationScope message's name (the only part the analyzer reads). */
export function readScopeName(r: ProtoReader, end: number): string {
  let name = '';
  while (r.pos < end) {
    const tag = r.uint32();
    if (tag >>> 3 === 1) {
      expectWire(tag & 7, WIRE_LENGTH_DELIMITED);
      name = r.string(r.delimited(end));
    } else {
      r.skip(tag & 7, end);
    }
  }
  if (r.pos !== end) throw locate(new Error('truncated'), 'name');
  return name;
}
