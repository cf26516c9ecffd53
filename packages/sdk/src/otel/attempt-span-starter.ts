import {
  type Attributes,
  type Context,
  isSpanContextValid,
  type Link,
  type Span,
  type SpanKind,
  TraceFlags,
  type Tracer,
  trace,
} from '@opentelemetry/api';
import { AttemptIds } from './attempt-ids.js';
import { AttemptSpan, type AttemptSpanShared, boundedAttributes, truncated } from './attempt-span.js';

export type AttemptSpanOptions = {
  kind: SpanKind;
  attributes: Attributes;
  links: Link[] | undefined;
  startedAtMs: number;
};

/**
 * Starts attempt spans as the tracer's parent-based, always-on sampler would: a span under a sampled
 * (or no) parent records, in the parent's trace; under a producer whose trace was not sampled,
 * OpenTelemetry's tracer makes the non-recording span that propagates the decision.
 */
export class AttemptSpanStarter {
  readonly #shared: AttemptSpanShared;
  readonly #tracer: Tracer;
  readonly #ids = new AttemptIds();

  constructor(shared: AttemptSpanShared, tracer: Tracer) {
    this.#shared = shared;
    this.#tracer = tracer;
  }

  /** Extra attributes from user code, validated and bounded as OpenTelemetry's spans would. */
  userAttributes(attributes: Attributes): Attributes {
    const limits = this.#shared.limits;
    return boundedAttributes(attributes, limits.attributeCountLimit, limits).attributes;
  }

  /** `attributes` with string values cut to the value length limit, when one is set. */
  withinLengthLimit(attributes: Attributes): Attributes {
    const limit = this.#shared.limits.attributeValueLengthLimit;
    if (limit === Number.POSITIVE_INFINITY) return attributes;
    for (const key of Object.keys(attributes)) {
      const value = attributes[key];
      if (value != null) attributes[key] = truncated(value, limit);
    }
    return attributes;
  }

  start(name: string, options: AttemptSpanOptions, parentContext: Context): Span {
    const parent = trace.getSpanContext(parentContext);
    const validParent = parent && isSpanContextValid(parent) ? parent : undefined;
    if (validParent && (validParent.traceFlags & TraceFlags.SAMPLED) === 0) {
      return this.#tracer.startSpan(
        name,
        { kind: options.kind, attributes: options.attributes, links: options.links },
        parentContext,
      );
    }
    const ids = validParent
      ? { traceId: validParent.traceId, spanId: this.#ids.span() }
      : this.#ids.traceAndSpan();
    return new AttemptSpan(this.#shared, {
      name,
      kind: options.kind,
      spanContext: {
        traceId: ids.traceId,
        spanId: ids.spanId,
        traceFlags: TraceFlags.SAMPLED,
        traceState: validParent?.traceState,
      },
      parentSpanContext: validParent,
      attributes: options.attributes,
      links: options.links ?? [],
      startedAtMs: options.startedAtMs,
      parentContext,
    });
  }
}
