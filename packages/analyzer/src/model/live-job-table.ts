import type { LiveJobView } from './analyzer-view.js';

/**
 * Attempts seen started and not yet ended, by trace + span id. Kept small on purpose (the benchmark
 * holds 100k of them): no attributes, strings shared with the decoded records.
 */
export class LiveJobTable {
  /** Ordered by last record: each update moves the job to the end, so eviction takes the stalest. */
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
    while (this.byKey.size > this.maxLiveJobs) {
      const oldest = this.byKey.keys().next().value as string;
      this.remove(oldest);
    }
  }

  /** Moves the job to the newest end of the eviction order. */
  refresh(key: string, job: LiveJobView): void {
    this.byKey.delete(key);
    this.byKey.set(key, job);
  }

  remove(key: string): LiveJobView | undefined {
    const job = this.byKey.get(key);
    if (job === undefined) return undefined;
    this.byKey.delete(key);
    this.onRemove(job);
    return job;
  }

  /** Drops jobs with no record since `cutoffMs`. */
  prune(cutoffMs: number): void {
    for (const [key, job] of this.byKey) {
      if (job.lastRecordMs >= cutoffMs) break;
      this.remove(key);
    }
  }
}
