import { type Logger, stderrLogger } from '../log/logger.js';
import type { AttemptView } from '../model/analyzer-view.js';
import { historyAttemptOf, type LongestGapOf } from './history-attempt-of.js';
import type { HistoryAttempt, HistoryStore } from './history-store.js';

export interface HistoryWriterOptions {
  store: HistoryStore;
  /** Current time in Unix ms. */
  clock: () => number;
  /** The model's `attemptLongestGap`. */
  longestGapOf: LongestGapOf;
  /**
   * An attempt is written this long (at least) after its span came: a step span or a child's error that
   * an exporter sent just after it (a retried request, a Collector's batch) arrives within it. Children end
   * before their parent, so a batch processor exports them first or with it: a second covers the rest.
   * Default 1000.
   */
  settleMillis?: number;
  /** How often the timer writes what settled (and retries a failed append). Default 500. */
  flushIntervalMillis?: number;
  /** Attempts per `append`. Default 1000. */
  maxBatchSize?: number;
  /**
   * From this many settled attempts waiting for the store, `overloaded` is true and the analyzer refuses
   * telemetry until the store catches up; also from one and a half times this many held in all, settling
   * ones included (what the settle delay holds at a flood's rate). Requests already admitted still add
   * theirs, up to twice this; past that an attempt is dropped and counted (it takes a store failing while
   * thousands of requests pile in). Default 100000.
   */
  maxQueued?: number;
  /** Where failures and recoveries are told, once each. Default stderrLogger. */
  logger?: Logger;
}

/** Attempts captured up to `count` (in all, since start) were captured by `timeMs`. */
interface Boundary {
  count: number;
  timeMs: number;
}

/**
 * Hands each finished attempt to the job history, off the ingest path: `capture` only keeps the
 * reference; a timer builds the rows of attempts that settled and appends them in batches, one append
 * at a time. A failing store keeps its batch and is retried at the next tick, while the queue fills up
 * to `maxQueued` and the analyzer asks senders to come back later: attempts wait rather than being lost.
 */
export class HistoryWriter {
  private readonly store: HistoryStore;
  private readonly clock: () => number;
  private readonly longestGapOf: LongestGapOf;
  private readonly settleMillis: number;
  private readonly flushIntervalMillis: number;
  private readonly maxBatchSize: number;
  private readonly maxQueued: number;
  private readonly logger: Logger;
  /** Captured attempts not yet built into a batch, from `head`. */
  private queue: (AttemptView | undefined)[] = [];
  private head = 0;
  /** Attempts captured since start; `taken` of them left the queue for a batch. */
  private captured = 0;
  private taken = 0;
  /** Captured counts stamped at each tick, oldest first; those older than the settle delay are removed. */
  private boundaries: Boundary[] = [];
  /** Everything captured before this count has settled. */
  private settledCount = 0;
  /** The batch whose append failed, retried first. */
  private retrying: HistoryAttempt[] | undefined;
  private appending: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  /** Why the last append failed; undefined while appends succeed. */
  error: Error | undefined;
  /** Attempts appended, appends that failed, and attempts dropped because the queue was past twice full. */
  readonly counts = { written: 0, failedAppends: 0, dropped: 0 };

  constructor(options: HistoryWriterOptions) {
    this.store = options.store;
    this.clock = options.clock;
    this.longestGapOf = options.longestGapOf;
    this.settleMillis = options.settleMillis ?? 1000;
    this.flushIntervalMillis = options.flushIntervalMillis ?? 500;
    this.maxBatchSize = options.maxBatchSize ?? 1000;
    this.maxQueued = options.maxQueued ?? 100_000;
    this.logger = options.logger ?? stderrLogger;
  }

  /** Keeps the attempt to write once it settled: the model's tap, on the ingest path. */
  capture(attempt: AttemptView): void {
    if (this.captured - this.taken >= this.maxQueued * 2) {
      this.counts.dropped += 1;
      return;
    }
    this.queue.push(attempt);
    this.captured += 1;
  }

  /** Attempts waiting to be written, a failed batch included. */
  get queued(): number {
    return this.captured - this.taken + (this.retrying?.length ?? 0);
  }

  /** Settled attempts waiting for the store, a failed batch included: how far the store is behind. */
  get backlog(): number {
    return Math.max(0, this.settledCount - this.taken) + (this.retrying?.length ?? 0);
  }

  /**
   * True while the store is a queue behind, or the attempts held in all reach their bound: telemetry is to
   * be refused until the store catches up. Attempts that are only settling do not count against the store:
   * at tens of thousands a second the settle delay alone holds that many.
   */
  get overloaded(): boolean {
    return this.backlog >= this.maxQueued || this.queued >= this.maxQueued * 1.5;
  }

  /** Writes what settled on a timer that does not keep the process alive. */
  start(): void {
    if (this.timer !== undefined) return;
    this.timer = setInterval(() => void this.tick(), this.flushIntervalMillis);
    this.timer.unref();
  }

  /**
   * Notes the time of what was captured so far, then appends whatever settled, batch after batch, unless
   * an append is already under way (it then goes on with what settled meanwhile). Never rejects.
   */
  tick(): Promise<void> {
    const now = this.clock();
    this.boundaries.push({ count: this.captured, timeMs: now });
    let settled = 0;
    while (settled < this.boundaries.length && this.boundaries[settled].timeMs <= now - this.settleMillis)
      settled += 1;
    if (settled > 0) {
      this.settledCount = this.boundaries[settled - 1].count;
      this.boundaries.splice(0, settled);
    }
    return this.drain();
  }

  /**
   * Stops the timer and writes everything captured, settled or not, waiting at most `waitMillis`; what is
   * left then is lost with the process (the caller is stopping it).
   */
  async stop(waitMillis: number): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    this.settledCount = this.captured;
    this.boundaries = [];
    const deadline = this.clock() + waitMillis;
    let timeout: NodeJS.Timeout | undefined;
    const expired = new Promise<void>((resolve) => {
      timeout = setTimeout(resolve, waitMillis);
    });
    try {
      while (this.queued > 0 && this.clock() < deadline) {
        const failuresBefore = this.counts.failedAppends;
        await Promise.race([this.drain(), expired]);
        // A failing store fails again at once; waiting out the deadline on it would change nothing.
        if (this.counts.failedAppends > failuresBefore) break;
      }
    } finally {
      clearTimeout(timeout);
    }
    if (this.queued > 0)
      this.logger.warn(`stopping with ${this.queued} attempts not written to the job history`);
  }

  private drain(): Promise<void> {
    if (this.appending === undefined)
      this.appending = this.appendSettled().finally(() => {
        this.appending = undefined;
      });
    return this.appending;
  }

  private async appendSettled(): Promise<void> {
    for (;;) {
      const batch = this.retrying ?? this.takeSettled();
      if (batch.length === 0) return;
      this.retrying = batch;
      try {
        await this.store.append(batch);
      } catch (error) {
        this.counts.failedAppends += 1;
        if (this.error === undefined)
          this.logger.error(
            'writing the job history failed; refusing telemetry while attempts pile up',
            error,
          );
        this.error = error as Error;
        return;
      }
      this.retrying = undefined;
      this.counts.written += batch.length;
      if (this.error !== undefined) this.logger.info('the job history store works again');
      this.error = undefined;
    }
  }

  /** Up to a batch of settled attempts, read from the model now, out of the queue. */
  private takeSettled(): HistoryAttempt[] {
    const size = Math.min(this.maxBatchSize, this.settledCount - this.taken);
    const batch: HistoryAttempt[] = new Array(Math.max(0, size));
    for (let i = 0; i < size; i++) {
      batch[i] = historyAttemptOf(this.queue[this.head] as AttemptView, this.longestGapOf);
      // Let go of the record at once: it holds attributes the model may already have evicted.
      this.queue[this.head] = undefined;
      this.head += 1;
    }
    this.taken += size;
    if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
    return batch;
  }
}
