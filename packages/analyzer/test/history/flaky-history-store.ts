import type { HistoryAttempt, HistoryStore } from '../../src/history/history-store.js';

/** A real history store whose appends are counted and fail on demand (a full disk, a database gone). */
export class FlakyHistoryStore implements HistoryStore {
  appendSizes: number[] = [];
  failing = false;
  constructor(private readonly inner: HistoryStore) {}
  async append(attempts: readonly HistoryAttempt[]): Promise<void> {
    if (this.failing) throw new Error('database or disk is full');
    this.appendSizes.push(attempts.length);
    await this.inner.append(attempts);
  }
  searchJobs = (...args: Parameters<HistoryStore['searchJobs']>) => this.inner.searchJobs(...args);
  jobAttempts = (...args: Parameters<HistoryStore['jobAttempts']>) => this.inner.jobAttempts(...args);
  jobsById = (...args: Parameters<HistoryStore['jobsById']>) => this.inner.jobsById(...args);
  prune = (...args: Parameters<HistoryStore['prune']>) => this.inner.prune(...args);
  sizeBytes = () => this.inner.sizeBytes();
  close = () => this.inner.close();
}
