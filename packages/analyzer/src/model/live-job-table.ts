import type { LiveJobView } from './analyzer-view.js';
import { MapTable } from './table/map-table.js';
import type { Table } from './table/table.js';

/**
 * Attempts seen started and not yet ended, by trace + span id. Kept small on purpose (the benchmark
 * holds 100k of them): no attributes, strings shared with the decoded records. Held in a MapTable, which
 * evicts only past the bound: attempts end out of order, and a table that evicts in its own turn (a ring,
 * a FifoTable with holes) would drop a hung attempt, the one most worth keeping, while others come and go.
 */
export class LiveJobTable {
  /** In order of first sighting: the count bound evicts the job seen first. */
  private readonly jobs: Table<LiveJobView>;

  constructor(
    maxLiveJobs: number,
    private readonly onRemove: (job: LiveJobView) => void,
  ) {
    this.jobs = new MapTable<LiveJobView>(maxLiveJobs, (_key, job) => onRemove(job));
  }

  get size(): number {
    return this.jobs.size;
  }

  get(key: string): LiveJobView | undefined {
    return this.jobs.get(key);
  }

  /** Held jobs, first seen first. */
  values(): IterableIterator<LiveJobView> {
    return this.jobs.values();
  }

  add(key: string, job: LiveJobView): void {
    this.jobs.set(key, job);
  }

  remove(key: string): LiveJobView | undefined {
    const job = this.jobs.delete(key);
    if (job !== undefined) this.onRemove(job);
    return job;
  }

  /** Drops every job of one worker (a full scan: a worker stops rarely). */
  removeWorker(worker: string): void {
    this.jobs.forEach((job, key) => {
      if (job.worker === worker) this.remove(key);
    });
  }

  /** Drops jobs with no record since `cutoffMs` (a full scan: callers run it about once a second). */
  prune(cutoffMs: number): void {
    this.jobs.forEach((job, key) => {
      if (job.lastRecordMs < cutoffMs) this.remove(key);
    });
  }
}
