/** One outbound call an attempt started and has not seen finish. */
export type OutboundOperation = {
  /** `GET http://10.0.0.5:8080/rows`: method, scheme, host:port and path, without credentials or query. */
  readonly description: string;
  /** Unix ms when it started. */
  readonly startedAtMs: number;
  /** Where it sits in its attempt's list; {@link UNTRACKED} past the bound, {@link CLOSED} once finished. */
  index: number;
};

const UNTRACKED = -1;
const CLOSED = -2;

/** What a record says about an attempt's open calls. */
export type OutboundSummary = {
  /** Every open call, tracked or past the bound. */
  readonly count: number;
  /** The longest open first, at most the `limit` asked for. */
  readonly operations: readonly { description: string; openSeconds: number }[];
};

/**
 * Most calls a job has open at once that are tracked one by one; more are only counted. A job that
 * fans out thousands of requests must not grow the SDK's memory with them, and the oldest ones (kept:
 * new ones past the bound are the ones counted) are what a hung job waits on.
 */
export const MAX_TRACKED_OPERATIONS = 32;

/**
 * The calls one attempt has open: added when a call starts in the attempt's async context, removed
 * when it finishes. Swap-remove by index, so neither costs more than a few assignments.
 */
export class OutboundOperations {
  readonly #open: OutboundOperation[] = [];
  /** Calls started past the bound and not yet finished. */
  #untracked = 0;

  /** Starts tracking a call; the returned handle closes it. */
  open(description: string, nowMs: number): OutboundOperation {
    const operation: OutboundOperation = { description, startedAtMs: nowMs, index: UNTRACKED };
    if (this.#open.length < MAX_TRACKED_OPERATIONS) {
      operation.index = this.#open.length;
      this.#open.push(operation);
    } else {
      this.#untracked += 1;
    }
    return operation;
  }

  /** Idempotent: a call that reports both an error and a close is closed once. */
  close(operation: OutboundOperation): void {
    const index = operation.index;
    if (index === UNTRACKED) {
      this.#untracked -= 1;
    } else if (index >= 0 && this.#open[index] === operation) {
      const last = this.#open.pop() as OutboundOperation;
      if (last !== operation) {
        this.#open[index] = last;
        last.index = index;
      }
    } else {
      return;
    }
    operation.index = CLOSED;
  }

  get count(): number {
    return this.#open.length + this.#untracked;
  }

  summary(nowMs: number, limit: number): OutboundSummary {
    const operations = [...this.#open]
      .sort((a, b) => a.startedAtMs - b.startedAtMs)
      .slice(0, limit)
      .map((operation) => ({
        description: operation.description,
        openSeconds: Math.max(0, nowMs - operation.startedAtMs) / 1000,
      }));
    return { count: this.count, operations };
  }
}
