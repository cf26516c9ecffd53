import { ATTR_JOB_ATTEMPT, ATTR_JOB_ID, ATTR_JOB_OUTCOME, ATTR_JOB_SAMPLED_REASON } from '@joblens/semconv';
import { type Context, SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { hrTimeToMilliseconds } from '@opentelemetry/core';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { longestSilenceMillis } from './longest-silence.js';
import { type AttemptFacts, createSamplingDecider, type SamplingPolicy } from './sampling-decision.js';

/** Allocated piecemeal: most attempts have no descendants, and then need nothing but the attempt. */
type AttemptBuffer = {
  attempt: Span;
  ended: ReadableSpan[] | undefined;
  open: Set<Span> | undefined;
  /** Activity instants (ms) of ended descendants, kept even when the spans themselves went on. */
  instants: number[] | undefined;
  dropped: number;
};

const MAX_REMEMBERED_DECISIONS = 1000;
/** Spans a job leaks (starts and never ends) must not grow the bookkeeping without bound. */
const MAX_TRACKED_SPANS = 100_000;

/**
 * Spans are keyed by span id alone: 64 random bits make a collision among the spans open at once
 * practically impossible, and concatenating the trace id cost a string per span.
 */
function keyOf(spanId: string): string {
  return spanId;
}

function isAttemptSpan(span: Span): boolean {
  return (
    span.kind === SpanKind.CONSUMER &&
    span.attributes[ATTR_JOB_ID] !== undefined &&
    span.attributes[ATTR_JOB_ATTEMPT] !== undefined
  );
}

/**
 * Tail sampling per attempt: holds an attempt's spans (the attempt and its descendants) until the
 * attempt ends, then passes all of them to `next` or drops all of them. Spans outside any attempt
 * pass straight through. Buffers are bounded per attempt; the excess is counted and dropped. Only
 * in the chain when some healthy attempts are dropped (`keepOneInHealthy` > 1).
 */
export class AttemptSamplingProcessor implements SpanProcessor {
  readonly #next: SpanProcessor;
  readonly #maxSpansPerAttempt: number;
  readonly #decide: ReturnType<typeof createSamplingDecider>;
  readonly #isDiagnostic: () => boolean;
  readonly #gapThresholdMillis: number;
  readonly #onError: (error: Error) => void;
  readonly #buffers = new Map<string, AttemptBuffer>();
  /** Span key → key of the attempt it belongs to, for spans still open. */
  readonly #owners = new Map<string, string>();
  /** Attempt key → kept?, for descendants that end after their attempt. */
  readonly #decisions = new Map<string, boolean>();
  #droppedSpans = 0;

  constructor(options: {
    next: SpanProcessor;
    policy: SamplingPolicy;
    maxSpansPerAttempt: number;
    isDiagnostic: () => boolean;
    onError: (error: Error) => void;
  }) {
    this.#next = options.next;
    this.#maxSpansPerAttempt = options.maxSpansPerAttempt;
    this.#decide = createSamplingDecider(options.policy);
    this.#isDiagnostic = options.isDiagnostic;
    this.#gapThresholdMillis = options.policy.gapThresholdMillis;
    this.#onError = options.onError;
  }

  /** Spans dropped because an attempt's buffer was full. */
  get droppedSpans(): number {
    return this.#droppedSpans;
  }

  onStart(span: Span, parentContext: Context): void {
    try {
      const key = keyOf(span.spanContext().spanId);
      if (isAttemptSpan(span)) {
        this.#buffers.set(key, {
          attempt: span,
          ended: undefined,
          open: undefined,
          instants: undefined,
          dropped: 0,
        });
        this.#owners.set(key, key);
      } else {
        const parent = span.parentSpanContext;
        const owner = parent ? this.#owners.get(keyOf(parent.spanId)) : undefined;
        if (owner !== undefined && this.#owners.size < MAX_TRACKED_SPANS) {
          this.#owners.set(key, owner);
          const buffer = this.#buffers.get(owner);
          if (buffer) {
            buffer.open ??= new Set();
            buffer.open.add(span);
          }
        }
      }
    } catch (error) {
      this.#onError(new Error('sampling: tracking a started span', { cause: error }));
    }
    this.#next.onStart(span, parentContext);
  }

  onEnding(span: Span): void {
    try {
      const key = keyOf(span.spanContext().spanId);
      const buffer = this.#buffers.get(key);
      if (!buffer || buffer.attempt !== span) return;
      const reason = this.#decide(this.#factsOf(buffer));
      this.#decisions.set(key, reason !== undefined);
      if (reason !== undefined) span.setAttribute(ATTR_JOB_SAMPLED_REASON, reason);
    } catch (error) {
      this.#onError(new Error('sampling: deciding on an attempt', { cause: error }));
    }
  }

  onEnd(span: ReadableSpan): void {
    let forward = true;
    try {
      const key = keyOf(span.spanContext().spanId);
      const owner = this.#owners.get(key);
      this.#owners.delete(key);
      if (owner === undefined) {
        forward = true;
      } else if (owner === key) {
        forward = false;
        this.#finishAttempt(key, span);
      } else {
        const buffer = this.#buffers.get(owner);
        if (buffer) {
          buffer.open?.delete(span as Span);
          buffer.instants ??= [];
          if (buffer.instants.length < this.#maxSpansPerAttempt * 4) {
            buffer.instants.push(hrTimeToMilliseconds(span.startTime), hrTimeToMilliseconds(span.endTime));
            for (const event of span.events) buffer.instants.push(hrTimeToMilliseconds(event.time));
          }
          forward = false;
          buffer.ended ??= [];
          if (buffer.ended.length < this.#maxSpansPerAttempt) buffer.ended.push(span);
          else {
            buffer.dropped++;
            this.#droppedSpans++;
          }
        } else {
          forward = this.#decisions.get(owner) ?? true;
        }
      }
    } catch (error) {
      this.#onError(new Error('sampling: buffering an ended span', { cause: error }));
    }
    if (forward) this.#next.onEnd(span);
  }

  forceFlush(): Promise<void> {
    return this.#next.forceFlush();
  }

  shutdown(): Promise<void> {
    this.#buffers.clear();
    this.#owners.clear();
    return this.#next.shutdown();
  }

  #finishAttempt(key: string, span: ReadableSpan): void {
    const buffer = this.#buffers.get(key);
    this.#buffers.delete(key);
    const kept = this.#decisions.get(key) ?? true;
    this.#remember(key, kept);
    if (!buffer || !kept) return;
    // Open descendants stay owned by this attempt so that they follow its decision when they end.
    if (buffer.ended) for (const child of buffer.ended) this.#next.onEnd(child);
    this.#next.onEnd(span);
  }

  #remember(key: string, kept: boolean): void {
    this.#decisions.delete(key);
    this.#decisions.set(key, kept);
    if (this.#decisions.size > MAX_REMEMBERED_DECISIONS) {
      const oldest = this.#decisions.keys().next().value;
      if (oldest !== undefined) this.#decisions.delete(oldest);
    }
  }

  #factsOf(buffer: AttemptBuffer): AttemptFacts {
    const attempt = buffer.attempt;
    const startMs = hrTimeToMilliseconds(attempt.startTime);
    const endMs = hrTimeToMilliseconds(attempt.endTime);
    const durationMillis = endMs - startMs;
    const outcome = attempt.attributes[ATTR_JOB_OUTCOME];
    const attemptNumber = attempt.attributes[ATTR_JOB_ATTEMPT];
    return {
      failed:
        attempt.status.code === SpanStatusCode.ERROR || (outcome !== undefined && outcome !== 'completed'),
      attempt: typeof attemptNumber === 'number' ? attemptNumber : 1,
      durationMillis,
      // No silence can outlast the attempt: a shorter attempt than the gap threshold has no gap to find.
      longestSilenceMillis:
        durationMillis < this.#gapThresholdMillis ? 0 : this.#longestSilence(buffer, startMs, endMs),
      diagnostic: this.#isDiagnostic(),
    };
  }

  #longestSilence(buffer: AttemptBuffer, startMs: number, endMs: number): number {
    const attempt = buffer.attempt;
    const instants: number[] = buffer.instants ? [...buffer.instants] : [];
    for (const event of attempt.events) instants.push(hrTimeToMilliseconds(event.time));
    if (buffer.open) {
      for (const child of buffer.open) {
        instants.push(hrTimeToMilliseconds(child.startTime));
        for (const event of child.events) instants.push(hrTimeToMilliseconds(event.time));
      }
    }
    return longestSilenceMillis(startMs, endMs, instants);
  }
}
