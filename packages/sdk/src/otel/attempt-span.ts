import {
  type Attributes,
  type AttributeValue,
  type Context,
  diag,
  type Exception,
  type HrTime,
  type Link,
  type SpanContext,
  type SpanKind,
  type SpanStatus,
  SpanStatusCode,
  type TimeInput,
} from '@opentelemetry/api';
import {
  type InstrumentationScope,
  isAttributeValue,
  isTimeInput,
  millisToHrTime,
  timeInputToHrTime,
} from '@opentelemetry/core';
import type { Resource } from '@opentelemetry/resources';
import type { Span as SdkSpan, SpanProcessor, TimedEvent } from '@opentelemetry/sdk-trace-base';
import type { ResolvedSpanLimits } from './span-limits.js';

/** Lifecycle events carry no attributes; one frozen object serves them all. */
const NO_ATTRIBUTES: Attributes = Object.freeze({});
const UNSET_STATUS: SpanStatus = Object.freeze({ code: SpanStatusCode.UNSET });
const ZERO_DURATION: HrTime = [0, 0];
/** Most attempts have no links; they share this one until one is added. */
const NO_LINKS: Link[] = Object.freeze([]) as unknown as Link[];

/** What every attempt span of one SDK instance shares. */
export type AttemptSpanShared = {
  readonly resource: Resource;
  readonly instrumentationScope: InstrumentationScope;
  /** The head of the SDK's processor chain, the one OpenTelemetry's tracer feeds too. */
  readonly processor: SpanProcessor;
  readonly limits: ResolvedSpanLimits;
};

export type AttemptSpanInit = {
  name: string;
  kind: SpanKind;
  spanContext: SpanContext;
  parentSpanContext: SpanContext | undefined;
  /** Built by the SDK from validated values; user-supplied extras must be sanitized before. */
  attributes: Attributes;
  links: Link[];
  startedAtMs: number;
  /** The context the span starts in, for the processors' `onStart`. */
  parentContext: Context;
};

/**
 * The span of one attempt, built by the SDK instead of by OpenTelemetry's generic tracer. Every job
 * starts one, and the generic path spends most of its time re-validating attributes the SDK has
 * just built from checked values (once to sanitize, once more per key) and asking a sampler whose
 * answer is already known. This class implements the API's `Span` for the job's code and the SDK's
 * `ReadableSpan` for the processors, and is handed to the same processor chain (tail sampling,
 * batching, export) as every span of the tracer, so exporters and back ends cannot tell it apart.
 * What the job's own code adds through it (attributes, events, links, exceptions) is validated and
 * bounded by the same limits as OpenTelemetry's spans.
 *
 * Times follow OpenTelemetry's spans: the start is the wall clock in ms, later instants add the
 * monotonic clock's elapsed time to it, so durations keep sub-millisecond precision.
 */
export class AttemptSpan implements SdkSpan {
  name: string;
  readonly kind: SpanKind;
  readonly parentSpanContext: SpanContext | undefined;
  readonly startTime: HrTime;
  endTime: HrTime = ZERO_DURATION;
  duration: HrTime = [-1, -1];
  status: SpanStatus = UNSET_STATUS;
  readonly attributes: Attributes;
  links: Link[];
  readonly events: TimedEvent[] = [];
  ended = false;
  readonly resource: Resource;
  readonly instrumentationScope: InstrumentationScope;
  droppedAttributesCount = 0;
  droppedEventsCount = 0;
  droppedLinksCount = 0;
  readonly #spanContext: SpanContext;
  readonly #shared: AttemptSpanShared;
  readonly #startedAtPerfMs: number;
  #attributeCount: number;

  constructor(shared: AttemptSpanShared, init: AttemptSpanInit) {
    this.#shared = shared;
    this.#spanContext = init.spanContext;
    this.name = init.name;
    this.kind = init.kind;
    this.parentSpanContext = init.parentSpanContext;
    this.attributes = init.attributes;
    this.#attributeCount = countOf(init.attributes);
    this.links = init.links.length > 0 ? init.links : NO_LINKS;
    this.resource = shared.resource;
    this.instrumentationScope = shared.instrumentationScope;
    this.#startedAtPerfMs = performance.now();
    this.startTime = millisToHrTime(init.startedAtMs);
    shared.processor.onStart(this, init.parentContext);
  }

  spanContext(): SpanContext {
    return this.#spanContext;
  }

  isRecording(): boolean {
    return !this.ended;
  }

  /** Now, on the span's clock: the start plus the monotonic clock's elapsed time. */
  now(): HrTime {
    const elapsedMs = performance.now() - this.#startedAtPerfMs;
    const wholeMs = Math.floor(elapsedMs);
    let seconds = this.startTime[0] + Math.floor(wholeMs / 1000);
    let nanos = this.startTime[1] + (wholeMs % 1000) * 1e6 + Math.round((elapsedMs - wholeMs) * 1e6);
    if (nanos >= 1e9) {
      seconds += Math.floor(nanos / 1e9);
      nanos %= 1e9;
    }
    return [seconds, nanos];
  }

  /** A lifecycle event of the SDK's own (no attributes, a known time): skips the checks user input needs. */
  addLifecycleEvent(name: string, time: HrTime): void {
    if (this.ended) return;
    this.#pushEvent({ name, attributes: NO_ATTRIBUTES, time, droppedAttributesCount: 0 });
  }

  setAttribute(key: string, value: AttributeValue | undefined): this {
    if (value == null || this.ended) return this;
    if (typeof key !== 'string' || key.length === 0 || !isAttributeValue(value)) {
      diag.warn(`joblens: invalid attribute ${key} dropped from span ${this.name}`);
      return this;
    }
    const isNew = !Object.hasOwn(this.attributes, key);
    if (isNew && this.#attributeCount >= this.#shared.limits.attributeCountLimit) {
      this.droppedAttributesCount++;
      return this;
    }
    this.attributes[key] = truncated(value, this.#shared.limits.attributeValueLengthLimit);
    if (isNew) this.#attributeCount++;
    return this;
  }

  setAttributes(attributes: Attributes): this {
    for (const key of Object.keys(attributes)) this.setAttribute(key, attributes[key]);
    return this;
  }

  addEvent(name: string, attributesOrTime?: Attributes | TimeInput, time?: TimeInput): this {
    if (this.ended) return this;
    let attributes: Attributes | undefined;
    if (isTimeInput(attributesOrTime)) {
      if (!isTimeInput(time)) time = attributesOrTime;
    } else {
      attributes = attributesOrTime;
    }
    const limits = this.#shared.limits;
    const bounded = boundedAttributes(attributes, limits.attributePerEventCountLimit, limits);
    this.#pushEvent({
      name,
      attributes: bounded.attributes,
      time: this.#timeOf(time),
      droppedAttributesCount: bounded.dropped,
    });
    return this;
  }

  addLink(link: Link): this {
    if (this.ended) return this;
    const limits = this.#shared.limits;
    if (limits.linkCountLimit === 0) {
      this.droppedLinksCount++;
      return this;
    }
    if (this.links === NO_LINKS) this.links = [];
    if (this.links.length >= limits.linkCountLimit) {
      this.links.shift();
      this.droppedLinksCount++;
    }
    const bounded = boundedAttributes(link.attributes, limits.attributePerLinkCountLimit, limits);
    const added: Link = { context: link.context };
    if (bounded.count > 0) added.attributes = bounded.attributes;
    if (bounded.dropped > 0) added.droppedAttributesCount = bounded.dropped;
    this.links.push(added);
    return this;
  }

  addLinks(links: Link[]): this {
    for (const link of links) this.addLink(link);
    return this;
  }

  setStatus(status: SpanStatus): this {
    // As OpenTelemetry's spans: UNSET changes nothing and OK is final.
    if (this.ended || status.code === SpanStatusCode.UNSET || this.status.code === SpanStatusCode.OK) {
      return this;
    }
    this.status =
      status.code === SpanStatusCode.ERROR && typeof status.message === 'string'
        ? { code: status.code, message: status.message }
        : { code: status.code };
    return this;
  }

  updateName(name: string): this {
    if (!this.ended) this.name = name;
    return this;
  }

  recordException(exception: Exception, time?: TimeInput): void {
    const attributes: Attributes = {};
    if (typeof exception === 'string') {
      attributes['exception.message'] = exception;
    } else if (exception) {
      if (exception.code) attributes['exception.type'] = String(exception.code);
      else if (exception.name) attributes['exception.type'] = exception.name;
      if (exception.message) attributes['exception.message'] = exception.message;
      if (exception.stack) attributes['exception.stacktrace'] = exception.stack;
    }
    if (attributes['exception.type'] || attributes['exception.message']) {
      this.addEvent('exception', attributes, time);
    }
  }

  end(endTime?: TimeInput): void {
    if (this.ended) {
      diag.error(`joblens: span ${this.name} ended twice`);
      return;
    }
    let end = this.#timeOf(endTime);
    let duration = durationBetween(this.startTime, end);
    if (duration[0] < 0) {
      end = this.startTime;
      duration = [0, 0];
    }
    this.endTime = end;
    this.duration = duration;
    const processor = this.#shared.processor;
    processor.onEnding?.(this);
    this.ended = true;
    processor.onEnd(this);
  }

  /** A time the caller gave, or now when it gave none (or something that is not a time, as OpenTelemetry's spans do). */
  #timeOf(time: TimeInput | undefined): HrTime {
    return isTimeInput(time) ? timeInputToHrTime(time) : this.now();
  }

  #pushEvent(event: TimedEvent): void {
    const limit = this.#shared.limits.eventCountLimit;
    if (limit === 0) {
      this.droppedEventsCount++;
      return;
    }
    if (this.events.length >= limit) {
      this.events.shift();
      this.droppedEventsCount++;
    }
    this.events.push(event);
  }
}

/** Own keys, counted without the array `Object.keys` would allocate. */
function countOf(attributes: Attributes): number {
  let count = 0;
  for (const key in attributes) if (Object.hasOwn(attributes, key)) count++;
  return count;
}

function durationBetween(start: HrTime, end: HrTime): HrTime {
  let seconds = end[0] - start[0];
  let nanos = end[1] - start[1];
  if (nanos < 0) {
    seconds -= 1;
    nanos += 1e9;
  }
  return [seconds, nanos];
}

/** Strings cut to the limit; arrays copied, so later changes by the caller do not reach the span. */
export function truncated(value: AttributeValue, limit: number): AttributeValue {
  if (typeof value === 'string') return value.length > limit ? value.slice(0, limit) : value;
  if (Array.isArray(value)) {
    return value.map((item) =>
      typeof item === 'string' && item.length > limit ? item.slice(0, limit) : item,
    ) as AttributeValue;
  }
  return value;
}

/**
 * Valid attributes only, at most `countLimit` of them, values truncated: what OpenTelemetry's spans
 * do to what user code hands them. Also used for the extra attributes a job describes itself with.
 */
export function boundedAttributes(
  attributes: Attributes | undefined,
  countLimit: number,
  limits: Pick<ResolvedSpanLimits, 'attributeValueLengthLimit'>,
): { attributes: Attributes; count: number; dropped: number } {
  const out: Attributes = {};
  let count = 0;
  let dropped = 0;
  if (attributes) {
    for (const key of Object.keys(attributes)) {
      const value = attributes[key];
      if (key === '' || !isAttributeValue(value) || value == null) continue;
      if (count >= countLimit) {
        dropped++;
        continue;
      }
      out[key] = truncated(value, limits.attributeValueLengthLimit);
      count++;
    }
  }
  return { attributes: out, count, dropped };
}
