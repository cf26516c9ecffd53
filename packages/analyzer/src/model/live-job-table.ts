import type { LiveJobView } from './analyzer-view.js';

/**
 * Attempts seen started and not yet ended, by trace + span id. Kept small on purpose (the benchmark
 * holds 100k of them): no attributes, strings shared with the decoded records.
 */
export class LiveJobTable {
  /** In order of first sighting: the count bound evicts the job seen first. */
  readonly byKey = new Map<string, LiveJobView>();

  constructor(
    private readonly maxLiveJobs: number,
    private readonly onRemove: (job: LiveJobView) => void,
  ) {}

  get(key: string): LiveJobView | undefined {
    return this.byKey.get(key);
  }

  add(key: string, job: LiveJobView): void {
    this.byKey.set(key, job);
    if (this.byKey.size > this.maxLiveJobs) {
      const target = this.maxLiveJobs - Math.floor(this.maxLiveJobs / 64);
      for (const oldest of this.byKey.keys()) {
        if (this.byKey.size <= target) break;
        this.remove(oldest);
      }
    }
  }

  remove(key: string): LiveJobView | undefined {
    const job = this.byKey.get(key);
    if (job === undefined) return undefined;
    this.byKey.delete(key);
    this.onRemove(job);
    return job;
  }

  /** Drops every job of one worker (a full scan: a worker stops rarely). */
  removeWorker(worker: string): void {
    this.byKey.forEach((job, key) => {
      if (job.worker === worker) this.remove(key);
    });
  }

  /** Drops jobs with no record since `cutoffMs` (a full scan: callers run it about once a second). */
  prune(cutoffMs: number): void {
    // forEach, not for-of over entries: that allocated a [key, job] pair per live job, 100k a second.
    this.byKey.forEach((job, key) => {
      if (job.lastRecordMs < cutoffMs) this.remove(key);
    });
  }
}
