import { MAX_VALUE_DEPTH, setAttribute } from '../protobuf/proto-attributes.js';
import type { Attributes, AttrValue, ResourceRecord } from '../records/records.js';
import { DecodeError, locate } from '../wire/decode-error.js';
import { completeResource, emptyResource } from '../wire/resource-record.js';
import {
  arrayField,
  boolField,
  doubleValue,
  integerValue,
  isObject,
  type JsonObject,
  objectField,
  pick,
  stringField,
} from './json-values.js';

/** An OTLP JSON AnyValue object; bytes are re-encoded so they read like the protobuf decoder's base64. */
export function anyValueFromJson(value: unknown, depth = 0): AttrValue {
  if (value === undefined || value === null) return null;
  if (depth > MAX_VALUE_DEPTH) throw new DecodeError(`values nested deeper than ${MAX_VALUE_DEPTH} levels`);
  if (!isObject(value)) throw new DecodeError(`expected an AnyValue object, got ${typeof value}`);
  let v = pick(value, 'stringValue', 'string_value');
  if (v !== undefined) {
    if (typeof v !== 'string') throw new DecodeError(`expected a string, got ${typeof v}`, 'string_value');
    return v;
  }
  v = pick(value, 'boolValue', 'bool_value');
  if (v !== undefined) return boolField(value, 'boolValue', 'bool_value');
  v = pick(value, 'intValue', 'int_value');
  if (v !== undefined) return integerValue(v, 'int_value');
  v = pick(value, 'doubleValue', 'double_value');
  if (v !== undefined) return doubleValue(v, 'double_value');
  const array = objectField(value, 'arrayValue', 'array_value');
  if (array !== undefined) {
    const values = arrayField(array, 'values', 'values');
    return values.map((item, i) => {
      try {
        return anyValueFromJson(item, depth + 1);
      } catch (err) {
        throw locate(err, 'values', i).within('array_value');
      }
    });
  }
  const kvlist = objectField(value, 'kvlistValue', 'kvlist_value');
  if (kvlist !== undefined) {
    try {
      return attributesFromJson(arrayField(kvlist, 'values', 'values'), 'values', depth + 1);
    } catch (err) {
      throw locate(err, 'kvlist_value');
    }
  }
  v = pick(value, 'bytesValue', 'bytes_value');
  if (v !== undefined) {
    if (typeof v !== 'string') throw new DecodeError(`expected base64 text, got ${typeof v}`, 'bytes_value');
    return Buffer.from(v, 'base64').toString('base64');
  }
  return null;
}

/** A `repeated KeyValue` JSON array to attributes; `field` names the array in error paths. */
function attributesFromJson(items: unknown[], field = 'attributes', depth = 0): Attributes {
  const attributes: Attributes = {};
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    try {
      if (!isObject(item)) throw new DecodeError(`expected a KeyValue object, got ${typeof item}`);
      const key = stringField(item, 'key', 'key');
      let value: AttrValue;
      try {
        value = anyValueFromJson(item.value, depth);
      } catch (err) {
        throw locate(err, 'value');
      }
      setAttribute(attributes, key, value);
    } catch (err) {
      throw locate(err, field, i);
    }
  }
  return attributes;
}

export function attributesField(object: JsonObject): Attributes {
  return attributesFromJson(arrayField(object, 'attributes', 'attributes'));
}

/** The `resource` field of a Resource* object as a shared ResourceRecord. */
export function resourceFromJson(container: JsonObject): ResourceRecord {
  const resource = emptyResource();
  try {
    const json = objectField(container, 'resource', 'resource');
    if (json !== undefined) completeResource(resource, attributesField(json));
  } catch (err) {
    throw locate(err, 'resource');
  }
  return resource;
}

/** The `scope` field's name of a Scope* object. */
export function scopeNameFromJson(container: JsonObject): string {
  try {
    const scope = objectField(container, 'scope', 'scope');
    return scope === undefined ? '' : stringField(scope, 'name', 'name');
  } catch (err) {
    throw locate(err, 'scope');
  }
}

/** Runs `read` on each element of an array field that must hold objects, locating errors by index. */
export function eachObject(
  container: JsonObject,
  jsonName: string,
  protoName: string,
  read: (item: JsonObject) => void,
): void {
  const items = arrayField(container, jsonName, protoName);
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    try {
      if (!isObject(item))
        throw new DecodeError(`expected an object, got ${item === null ? 'null' : typeof item}`);
      read(item);
    } catch (err) {
      throw locate(err, protoName, i);
    }
  }
}
