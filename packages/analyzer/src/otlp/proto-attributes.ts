import type { Attributes, AttrValue } from '../telemetry/records.js';
import { locate } from './decode-error.js';
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
export function readAnyValue(r: ProtoReader, end: number): AttrValue {
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
          value = readArrayValue(r, r.delimited(end));
          break;
        case 6:
          expectWire(wire, WIRE_LENGTH_DELIMITED);
          value = readKeyValueList(r, r.delimited(end));
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

function readArrayValue(r: ProtoReader, end: number): AttrValue[] {
  const values: AttrValue[] = [];
  while (r.pos < end) {
    const tag = r.uint32();
    if (tag >>> 3 === 1) {
      expectWire(tag & 7, WIRE_LENGTH_DELIMITED);
      try {
        values.push(readAnyValue(r, r.delimited(end)));
      } catch (err) {
        throw locate(err, 'values', values.length);
      }
    } else {
      r.skip(tag & 7, end);
    }
  }
  return values;
}

function readKeyValueList(r: ProtoReader, end: number): Attributes {
  const values: Attributes = {};
  let index = 0;
  while (r.pos < end) {
    const tag = r.uint32();
    if (tag >>> 3 === 1) {
      expectWire(tag & 7, WIRE_LENGTH_DELIMITED);
      try {
        readKeyValue(r, r.delimited(end), values);
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

/** A KeyValue message in [pos, end), stored into `target` (a later duplicate key wins). */
export function readKeyValue(r: ProtoReader, end: number, target: Attributes): void {
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
      value = readAnyValue(r, r.delimited(end));
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
