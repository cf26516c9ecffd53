import { randomFillSync } from 'node:crypto';

const TRACE_ID_BYTES = 16;
const SPAN_ID_BYTES = 8;
const IDS_BYTES = TRACE_ID_BYTES + SPAN_ID_BYTES;
/** Random bytes for this many attempts are drawn at once: one system call instead of one per id. */
const POOL_ATTEMPTS = 256;
const INVALID_TRACE_ID = '0'.repeat(TRACE_ID_BYTES * 2);
const INVALID_SPAN_ID = '0'.repeat(SPAN_ID_BYTES * 2);

/**
 * Trace and span ids for attempt spans, from a pool of cryptographically random bytes: both ids of
 * a root attempt come out of one hex conversion (OpenTelemetry's generator makes each id from
 * `Math.random` and converts it alone). All-zero ids are invalid and drawn again.
 */
export class AttemptIds {
  readonly #pool = Buffer.allocUnsafe(IDS_BYTES * POOL_ATTEMPTS);
  #offset = this.#pool.length;

  #take(bytes: number): string {
    if (this.#offset + bytes > this.#pool.length) {
      randomFillSync(this.#pool);
      this.#offset = 0;
    }
    const hex = this.#pool.toString('hex', this.#offset, this.#offset + bytes);
    this.#offset += bytes;
    return hex;
  }

  /** A new trace id and span id, for an attempt without a parent. */
  traceAndSpan(): { traceId: string; spanId: string } {
    for (;;) {
      const hex = this.#take(IDS_BYTES);
      const traceId = hex.slice(0, TRACE_ID_BYTES * 2);
      const spanId = hex.slice(TRACE_ID_BYTES * 2);
      if (traceId !== INVALID_TRACE_ID && spanId !== INVALID_SPAN_ID) return { traceId, spanId };
    }
  }

  /** A new span id, for an attempt in its parent's trace. */
  span(): string {
    for (;;) {
      const spanId = this.#take(SPAN_ID_BYTES);
      if (spanId !== INVALID_SPAN_ID) return spanId;
    }
  }
}
