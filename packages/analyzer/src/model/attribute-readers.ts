import type { Attributes, AttrValue } from '@joblens/otlp-receiver';

/**
 * Attribute values arrive as whatever the sender chose (ints as strings from some JSON encoders, floats
 * as ints); these readers accept the plausible shapes and return undefined for everything else.
 */
export function readString(attributes: Attributes, key: string): string | undefined {
  const value: AttrValue | undefined = attributes[key];
  if (typeof value === 'string') return value === '' ? undefined : value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

export function readNumber(attributes: Attributes, key: string): number | undefined {
  const value: AttrValue | undefined = attributes[key];
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'string' && value !== '') {
    const parsed = Number(value);
    return Number.isFinite(parsed) ? parsed : undefined;
  }
  return undefined;
}

/**
 * The strings of an array attribute, at most `maxItems`, each cut to `maxChars`; undefined when the key
 * holds no array or the array no string. Other items (a sender's mistake) are skipped.
 */
export function readStringArray(
  attributes: Attributes,
  key: string,
  maxItems: number,
  maxChars: number,
): string[] | undefined {
  const value: AttrValue | undefined = attributes[key];
  if (!Array.isArray(value)) return undefined;
  const strings: string[] = [];
  for (const item of value) {
    if (strings.length >= maxItems) break;
    if (typeof item === 'string' && item !== '') strings.push(item.slice(0, maxChars));
  }
  return strings.length > 0 ? strings : undefined;
}

/** The first key of `keys` that holds a non-empty string. */
export function readFirstString(attributes: Attributes, keys: readonly string[]): string | undefined {
  for (const key of keys) {
    const value = readString(attributes, key);
    if (value !== undefined) return value;
  }
  return undefined;
}
