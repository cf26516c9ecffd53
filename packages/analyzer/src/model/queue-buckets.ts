import type { WorkerQueueStats } from './analyzer-view.js';

/**
 * Work done on one queue by one worker, in a ring of fixed-width time buckets: constant memory per
 * worker and queue whatever the traffic, at the price of window bounds rounded to a bucket.
 */
export class QueueBuckets {
  private readonly ids: Float64Array;
  private readonly started: Float64Array;
  private readonly busyMs: Float64Array;
  private readonly completed: Float64Array;
  private readonly failed: Float64Array;

  constructor(
    private readonly bucketMs: number,
    private readonly count: number,
  ) {
    this.ids = new Float64Array(count).fill(-1);
    this.started = new Float64Array(count);
    this.busyMs = new Float64Array(count);
    this.completed = new Float64Array(count);
    this.failed = new Float64Array(count);
  }

  private slot(timeMs: number): number {
    const id = Math.floor(timeMs / this.bucketMs);
    const slot = ((id % this.count) + this.count) % this.count;
    if (this.ids[slot] !== id) {
      // An older bucket is reused; a record older than the ring's span lands in no bucket.
      if (this.ids[slot] > id) return -1;
      this.ids[slot] = id;
      this.started[slot] = 0;
      this.busyMs[slot] = 0;
      this.completed[slot] = 0;
      this.failed[slot] = 0;
    }
    return slot;
  }

  addStart(timeMs: number): void {
    const slot = this.slot(timeMs);
    if (slot >= 0) this.started[slot] += 1;
  }

  addEnd(timeMs: number, busyMs: number, completed: boolean): void {
    const slot = this.slot(timeMs);
    if (slot < 0) return;
    this.busyMs[slot] += Math.max(0, busyMs);
    if (completed) this.completed[slot] += 1;
    else this.failed[slot] += 1;
  }

  sum(sinceMs: number): WorkerQueueStats {
    const firstId = Math.floor(sinceMs / this.bucketMs);
    const stats: WorkerQueueStats = { attemptsStarted: 0, busySeconds: 0, completed: 0, failed: 0 };
    for (let slot = 0; slot < this.count; slot++) {
      if (this.ids[slot] < firstId) continue;
      stats.attemptsStarted += this.started[slot];
      stats.busySeconds += this.busyMs[slot] / 1000;
      stats.completed += this.completed[slot];
      stats.failed += this.failed[slot];
    }
    return stats;
  }

  /** Newest bucket's start, or -Infinity when empty. */
  newestMs(): number {
    let newest = -1;
    for (let slot = 0; slot < this.count; slot++) newest = Math.max(newest, this.ids[slot]);
    return newest < 0 ? Number.NEGATIVE_INFINITY : newest * this.bucketMs;
  }
}
