import type {
  Attributes,
  AttrValue,
  LogRecordData,
  MetricPointRecord,
  ResourceRecord,
  SpanRecord,
} from './records.js';
import { isSecretKey, REDACTED, type RedactionOptions, redactText } from './redact.js';

/**
 * Deeper than the decoders ever nest (they refuse more than 32 levels); a value past it is dropped
 * whole rather than walked, so a record built elsewhere cannot blow the stack.
 */
const MAX_DEPTH = 40;

/**
 * Removes secrets from decoded records in place, before anything else holds them: every string a
 * record carries (names, status messages, log bodies, attribute values at any depth) and the values of
 * attributes whose keys name a secret. Numbers and booleans under such keys stay: they are counts and
 * flags (`llm.usage.tokens`, `auth.ok`), not credentials.
 *
 * In place is safe because the decoders build fresh records for each request; the few objects they
 * share (cached attribute values, an empty frozen attribute set) only ever get the same, idempotent,
 * rewrite.
 */
export class RecordRedactor {
  private lastResource: ResourceRecord | undefined;

  constructor(private readonly options: RedactionOptions = {}) {}

  spans(spans: readonly SpanRecord[]): void {
    for (const span of spans) {
      this.resource(span.resource);
      span.scopeName = this.text(span.scopeName);
      span.name = this.text(span.name);
      span.statusMessage = this.text(span.statusMessage);
      this.attributes(span.attributes, 0);
      for (const event of span.events) {
        event.name = this.text(event.name);
        this.attributes(event.attributes, 0);
      }
      for (const link of span.links) this.attributes(link.attributes, 0);
    }
    this.lastResource = undefined;
  }

  logs(logs: readonly LogRecordData[]): void {
    for (const log of logs) {
      this.resource(log.resource);
      log.scopeName = this.text(log.scopeName);
      log.severityText = this.text(log.severityText);
      log.eventName = this.text(log.eventName);
      log.body = this.value(log.body, 0);
      this.attributes(log.attributes, 0);
    }
    this.lastResource = undefined;
  }

  metrics(points: readonly MetricPointRecord[]): void {
    for (const point of points) {
      this.resource(point.resource);
      point.scopeName = this.text(point.scopeName);
      point.name = this.text(point.name);
      this.attributes(point.attributes, 0);
    }
    this.lastResource = undefined;
  }

  /** Records of one request share their resource: redacting it once per run of records is enough. */
  private resource(resource: ResourceRecord): void {
    if (resource === this.lastResource) return;
    this.lastResource = resource;
    resource.serviceName = this.text(resource.serviceName);
    resource.serviceInstanceId = this.text(resource.serviceInstanceId);
    resource.hostName = this.text(resource.hostName);
    this.attributes(resource.attributes, 0);
  }

  private text(text: string): string {
    return redactText(text, this.options);
  }

  private attributes(attributes: Attributes, depth: number): void {
    for (const key in attributes) {
      const value = attributes[key];
      // Numbers, booleans and null hold no secret, whatever their key (a third of all values).
      if (typeof value !== 'string' && (value === null || typeof value !== 'object')) continue;
      const clean = isSecretKey(key) ? REDACTED : this.value(value, depth);
      if (clean !== value) replaceAttribute(attributes, key, clean);
    }
  }

  private value(value: AttrValue, depth: number): AttrValue {
    if (typeof value === 'string') return this.text(value);
    if (value === null || typeof value !== 'object') return value;
    if (depth >= MAX_DEPTH) return REDACTED;
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) {
        const clean = this.value(value[i], depth + 1);
        if (clean !== value[i]) value[i] = clean;
      }
    } else {
      this.attributes(value, depth + 1);
    }
    return value;
  }
}

/** Assigning `__proto__` would replace the object's prototype instead of setting the value. */
function replaceAttribute(target: Attributes, key: string, value: AttrValue): void {
  if (key === '__proto__') {
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  } else {
    target[key] = value;
  }
}
