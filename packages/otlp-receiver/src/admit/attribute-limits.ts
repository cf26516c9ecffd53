import type { Attributes, AttrValue } from '../records/records.js';

/**
 * OpenTelemetry's attribute limits (the SDK environment variables `OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT`,
 * `OTEL_ATTRIBUTE_COUNT_LIMIT`, `OTEL_SPAN_EVENT_COUNT_LIMIT`, `OTEL_SPAN_LINK_COUNT_LIMIT`), applied
 * again at ingest: a sender that does not apply them must not make the analyzer keep a 7 MiB value
 * with every failed attempt.
 */
export interface AttributeLimits {
  /**
   * Strings longer than this many UTF-16 code units (as JavaScript counts `length`) are cut to it;
   * also bounds span, event and metric names, status messages and log bodies. Keys longer than this
   * drop their attribute. Default 4096.
   */
  maxAttributeValueChars: number;
  /**
   * Attributes kept per span, event, link, log record, data point and resource; also entries kept per
   * array or key-value list value. The first ones are kept, the rest dropped. Default 128.
   */
  maxAttributesPerRecord: number;
  /** Events kept per span (the first ones). Default 128. */
  maxEventsPerSpan: number;
  /** Links kept per span (the first ones). Default 128. */
  maxLinksPerSpan: number;
}

const DEFAULT_ATTRIBUTE_LIMITS: Readonly<AttributeLimits> = {
  maxAttributeValueChars: 4096,
  maxAttributesPerRecord: 128,
  maxEventsPerSpan: 128,
  maxLinksPerSpan: 128,
};

/** Defaults applied and every value checked; an error names the option, the expected and the given. */
export function resolveAttributeLimits(limits: Partial<AttributeLimits> = {}): AttributeLimits {
  const resolved = { ...DEFAULT_ATTRIBUTE_LIMITS };
  for (const [name, value] of Object.entries(limits)) {
    if (value === undefined) continue;
    if (!(name in DEFAULT_ATTRIBUTE_LIMITS)) throw new TypeError(`attribute limit ${name}: unknown option`);
    if (!Number.isSafeInteger(value) || (value as number) < 1) {
      throw new RangeError(`attribute limit ${name}: expected a positive integer, got ${String(value)}`);
    }
    resolved[name as keyof AttributeLimits] = value as number;
  }
  return resolved;
}

/**
 * `text` cut to `maxChars`, as a string of its own. A slice of a long string is a view that keeps the
 * whole original alive (V8's sliced strings), which is exactly what cutting is meant to free: the
 * copy through a buffer makes a flat string. A surrogate pair is never split.
 */
export function limitText(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  let cut = maxChars;
  const last = text.charCodeAt(cut - 1);
  if (last >= 0xd800 && last <= 0xdbff) cut -= 1;
  cut = beforeUnfinishedAuthority(text, cut);
  return Buffer.from(text.slice(0, cut), 'utf16le').toString('utf16le');
}

/** `scheme://` and whatever follows it up to the end, when no `/`, `@` or space has come yet. */
const UNFINISHED_AUTHORITY = /[a-z][a-z0-9+.-]*:\/\/[^\s/?#@]*$/i;
/** Userinfo longer than this is not worth searching back for. */
const MAX_AUTHORITY_LOOKBACK = 512;

/**
 * Where to cut so that no URL's userinfo is cut in half: redaction runs after the limits and masks a
 * password only between `user:` and `@`, so a cut before the `@` would leave the password's first
 * characters in plain sight. The authority of a URL the cut falls into is dropped, `scheme://` kept.
 */
function beforeUnfinishedAuthority(text: string, cut: number): number {
  const from = Math.max(0, cut - MAX_AUTHORITY_LOOKBACK);
  const match = UNFINISHED_AUTHORITY.exec(text.slice(from, cut));
  if (match === null) return cut;
  return from + match.index + match[0].indexOf('://') + 3;
}

/**
 * The attributes within the limits, and how many values were cut or dropped (added to `changes.count`).
 * The common case, a few short scalars, is one pass that returns the same object. Over the count limit
 * it returns a new object of the first ones: deleting hundreds of thousands of keys one by one from a
 * hostile span would cost more than reading them did. Nested arrays and key-value lists are limited too.
 */
export function limitAttributes(
  attributes: Attributes,
  limits: AttributeLimits,
  changes: Changes,
): Attributes {
  let count = 0;
  for (const key in attributes) {
    count += 1;
    if (count > limits.maxAttributesPerRecord) return firstAttributes(attributes, limits, changes);
    if (key.length > limits.maxAttributeValueChars) return firstAttributes(attributes, limits, changes);
    const value = attributes[key];
    if (typeof value === 'string') {
      if (value.length > limits.maxAttributeValueChars) {
        attributes[key] = limitText(value, limits.maxAttributeValueChars);
        changes.count += 1;
      }
    } else if (typeof value === 'object' && value !== null) {
      const limited = limitNested(value, limits, changes);
      if (limited !== value) attributes[key] = limited;
    }
  }
  return attributes;
}

/** A running count of values cut or dropped. */
export interface Changes {
  count: number;
}

/** A new object of the first attributes within the limits (keys too long are dropped, not cut). */
function firstAttributes(attributes: Attributes, limits: AttributeLimits, changes: Changes): Attributes {
  const kept: Attributes = {};
  let count = 0;
  for (const key in attributes) {
    if (count >= limits.maxAttributesPerRecord || key.length > limits.maxAttributeValueChars) {
      changes.count += 1;
      continue;
    }
    count += 1;
    const value = attributes[key];
    let limited = value;
    if (typeof value === 'string' && value.length > limits.maxAttributeValueChars) {
      limited = limitText(value, limits.maxAttributeValueChars);
      changes.count += 1;
    } else if (typeof value === 'object' && value !== null) {
      limited = limitNested(value, limits, changes);
    }
    setOwn(kept, key, limited);
  }
  return kept;
}

/** Sets a key without letting `__proto__` replace the object's prototype. */
function setOwn(target: Attributes, key: string, value: AttrValue): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

function limitNested(
  value: AttrValue[] | Attributes,
  limits: AttributeLimits,
  changes: Changes,
): AttrValue[] | Attributes {
  if (!Array.isArray(value)) return limitAttributes(value, limits, changes);
  if (value.length > limits.maxAttributesPerRecord) {
    changes.count += value.length - limits.maxAttributesPerRecord;
    value.length = limits.maxAttributesPerRecord;
  }
  for (let i = 0; i < value.length; i++) {
    const item = value[i];
    if (typeof item === 'string') {
      if (item.length > limits.maxAttributeValueChars) {
        value[i] = limitText(item, limits.maxAttributeValueChars);
        changes.count += 1;
      }
    } else if (typeof item === 'object' && item !== null) {
      value[i] = limitNested(item, limits, changes);
    }
  }
  return value;
}

/** A log body (any AnyValue) within the limits: a long string is cut, a list or map limited. */
export function limitValue(value: AttrValue, limits: AttributeLimits, changes: Changes): AttrValue {
  if (typeof value === 'string') {
    if (value.length <= limits.maxAttributeValueChars) return value;
    changes.count += 1;
    return limitText(value, limits.maxAttributeValueChars);
  }
  if (typeof value === 'object' && value !== null) return limitNested(value, limits, changes);
  return value;
}
