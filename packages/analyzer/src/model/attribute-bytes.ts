import type { Attributes, AttrValue } from '@joblens/otlp-receiver';
import type { MarkView } from './analyzer-view.js';

/** What a number, boolean or null costs held in an object, roughly. */
const SCALAR_BYTES = 8;
/** Per key or element, for the slot that holds it. */
const SLOT_BYTES = 8;

/**
 * About how many bytes an attributes object holds: strings at two bytes a character (the worst case
 * of V8's one- and two-byte strings), scalars and slots at eight. An estimate for a budget, not a
 * measurement; strings shared with other records (interned keys) are counted as if they were not.
 */
export function attributeBytes(attributes: Attributes): number {
  let bytes = 0;
  for (const key in attributes) bytes += SLOT_BYTES + key.length * 2 + valueBytes(attributes[key]);
  return bytes;
}

function valueBytes(value: AttrValue): number {
  if (typeof value === 'string') return value.length * 2;
  if (typeof value !== 'object' || value === null) return SCALAR_BYTES;
  if (!Array.isArray(value)) return attributeBytes(value);
  let bytes = 0;
  for (const item of value) bytes += SLOT_BYTES + valueBytes(item);
  return bytes;
}

/** The attributes of an attempt's span and of its marks (events). */
export function attemptAttributeBytes(attributes: Attributes, marks: readonly MarkView[]): number {
  let bytes = attributeBytes(attributes);
  for (const mark of marks) bytes += attributeBytes(mark.attributes);
  return bytes;
}
