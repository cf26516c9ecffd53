import type { Attributes, AttrValue } from '../telemetry/records.js';

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

/** The first key of `keys` that holds a non-empty string. */
export function readFirstString(attributes: Attributes, keys: readonly string[]): string | undefined {
  for (const key of keys) {
    const value = readString(attributes, key);
    if (value !== undefined) return value;
  }
  return undefined;
}
