import type { Attributes, AttrValue } from '../records/records.js';
import { DecodeError } from '../wire/decode-error.js';
import { type MessageFields, readFields } from './proto-fields.js';
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

/**
 * Deepest nesting of array and kvlist values accepted. Real attributes nest a level or two; a bound
 * keeps a hostile body of a million nested arrays from exhausting the stack (or the CPU).
 */
export const MAX_VALUE_DEPTH = 32;

/** What an AnyValue, ArrayValue or KeyValueList message is read into. */
interface ValueState {
  value: AttrValue;
  depth: number;
  /** The element being read (ArrayValue, KeyValueList). */
  index: number;
}

/** AnyValue: every variant, bytes as base64, an empty value as null. */
const ANY_VALUE: MessageFields<ValueState> = {
  names: {
    1: 'string_value',
    2: 'bool_value',
    3: 'int_value',
    4: 'double_value',
    5: 'array_value',
    6: 'kvlist_value',
    7: 'bytes_value',
  },
  tagName: 'value',
  readField(r, field, wire, end, state) {
    switch (field) {
      case 1:
        expectWire(wire, WIRE_LENGTH_DELIMITED);
        state.value = r.string(r.delimited(end));
        break;
      case 2:
        expectWire(wire, WIRE_VARINT);
        state.value = r.bool();
        break;
      case 3:
        expectWire(wire, WIRE_VARINT);
        state.value = r.int64();
        break;
      case 4:
        expectWire(wire, WIRE_FIXED64);
        state.value = r.double();
        break;
      case 5:
        expectWire(wire, WIRE_LENGTH_DELIMITED);
        state.value = readNested(r, r.delimited(end), ARRAY_VALUE, [], state.depth);
        break;
      case 6:
        expectWire(wire, WIRE_LENGTH_DELIMITED);
        state.value = readNested(r, r.delimited(end), KEY_VALUE_LIST, {}, state.depth);
        break;
      case 7:
        expectWire(wire, WIRE_LENGTH_DELIMITED);
        state.value = r.base64(r.delimited(end));
        break;
      default:
        r.skip(wire, end);
    }
  },
};

/** An AnyValue message in [pos, end). */
export function readAnyValue(r: ProtoReader, end: number, depth = 0): AttrValue {
  if (depth > MAX_VALUE_DEPTH) throw new DecodeError(`values nested deeper than ${MAX_VALUE_DEPTH} levels`);
  const state: ValueState = { value: null, depth, index: 0 };
  readFields(r, end, ANY_VALUE, state);
  return state.value;
}

/** An ArrayValue (`value` is an array) or KeyValueList (an object) one level below `depth`. */
function readNested<T extends AttrValue>(
  r: ProtoReader,
  end: number,
  message: MessageFields<ValueState>,
  empty: T,
  depth: number,
): T {
  const state: ValueState = { value: empty, depth: depth + 1, index: 0 };
  readFields(r, end, message, state);
  return empty;
}

const ARRAY_VALUE: MessageFields<ValueState> = {
  names: { 1: 'values[]' },
  readField(r, field, wire, end, state) {
    if (field !== 1) return r.skip(wire, end);
    expectWire(wire, WIRE_LENGTH_DELIMITED);
    const values = state.value as AttrValue[];
    state.index = values.length;
    values.push(readAnyValue(r, r.delimited(end), state.depth));
  },
  elementIndex: (state) => state.index,
};

const KEY_VALUE_LIST: MessageFields<ValueState> = {
  names: { 1: 'values[]' },
  readField(r, field, wire, end, state) {
    if (field !== 1) return r.skip(wire, end);
    expectWire(wire, WIRE_LENGTH_DELIMITED);
    readKeyValue(r, r.delimited(end), state.value as Attributes, state.depth);
    state.index++;
  },
  elementIndex: (state) => state.index,
};

/** A KeyValue message in [pos, end), stored into `target` (a later duplicate key wins). */
function readKeyValue(r: ProtoReader, end: number, target: Attributes, depth = 0): void {
  const start = r.pos;
  const pairs = r.caches.pairs;
  if (end - start > pairs.maxLength || start === end) {
    if (!readSimpleKeyValue(r, end, target)) readKeyValueInGeneral(r, end, target, depth);
    return;
  }
  const pair = pairs.find(r.buf, r.view, start, end);
  if (pair !== undefined) {
    // Pairs with the key __proto__ are never cached, so a plain store is safe here.
    target[pair.key] = pair.value;
    r.pos = end;
    return;
  }
  const slot = pairs.lastSlot;
  if (!readSimpleKeyValue(r, end, target)) {
    readKeyValueInGeneral(r, end, target, depth);
    return;
  }
  // The simple form holds a key and a scalar value: safe to share between records.
  const key = r.lastKey;
  if (key !== '__proto__') pairs.set(slot, r.buf, r.view, start, end, { key, value: r.lastValue });
}

/**
 * The shape nearly every attribute has: `key` (field 1) then `value` (field 2) holding one string,
 * bool, int or double, with lengths under 128. Reads it without the general walk, leaves the pair in
 * `r.lastKey` and `r.lastValue` and returns true, or returns false having read nothing.
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
  r.lastKey = key;
  r.lastValue = value;
  return true;
}

/** What a KeyValue message in any other shape is read into. */
interface KeyValueState {
  key: string;
  value: AttrValue;
  depth: number;
}

const KEY_VALUE: MessageFields<KeyValueState> = {
  names: { 1: 'key', 2: 'value' },
  readField(r, field, wire, end, state) {
    if (field === 1) {
      expectWire(wire, WIRE_LENGTH_DELIMITED);
      state.key = r.string(r.delimited(end));
    } else if (field === 2) {
      expectWire(wire, WIRE_LENGTH_DELIMITED);
      state.value = readAnyValue(r, r.delimited(end), state.depth);
    } else {
      r.skip(wire, end);
    }
  },
};

function readKeyValueInGeneral(r: ProtoReader, end: number, target: Attributes, depth: number): void {
  const state: KeyValueState = { key: '', value: null, depth };
  readFields(r, end, KEY_VALUE, state);
  setAttribute(target, state.key, state.value);
}

/** Reads one `repeated KeyValue attributes` element (the caller has read the tag). */
export function readAttribute(r: ProtoReader, wire: number, end: number, target: Attributes): void {
  expectWire(wire, WIRE_LENGTH_DELIMITED);
  readKeyValue(r, r.delimited(end), target);
}

/** What a Resource is read into. */
interface ResourceState {
  attributes: Attributes;
  index: number;
}

/** A Resource message's attributes (field 1); the rest of Resource is not needed. */
const RESOURCE: MessageFields<ResourceState> = {
  names: { 1: 'attributes[]' },
  readField(r, field, wire, end, state) {
    if (field !== 1) return r.skip(wire, end);
    readAttribute(r, wire, end, state.attributes);
    state.index++;
  },
  elementIndex: (state) => state.index,
};

export function readResourceAttributes(r: ProtoReader, end: number): Attributes {
  const state: ResourceState = { attributes: {}, index: 0 };
  readFields(r, end, RESOURCE, state);
  return state.attributes;
}

/** An InstrumentationScope message's name (the only part the receiver reads). */
const SCOPE: MessageFields<{ name: string }> = {
  names: { 1: 'name' },
  readField(r, field, wire, end, state) {
    if (field !== 1) return r.skip(wire, end);
    expectWire(wire, WIRE_LENGTH_DELIMITED);
    state.name = r.string(r.delimited(end));
  },
};

export function readScopeName(r: ProtoReader, end: number): string {
  const state = { name: '' };
  readFields(r, end, SCOPE, state);
  return state.name;
}
