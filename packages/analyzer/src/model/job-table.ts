import type { JobOutcome } from '@joblens/semconv';
import type { JobView } from './analyzer-view.js';
import { hashText } from './table/hash.js';
import { HashedKeyIndex } from './table/hashed-key-index.js';
import { type NumberColumn, type RefColumn, RowColumns } from './table/row-columns.js';

/** A job as `get` hands it out: a snapshot of its row, with the keys of its attempts seen. */
export interface JobEntry extends JobView {
  /** Keys (trace + span id) of the attempts seen, oldest first; bounded. */
  attemptKeys: readonly string[];
}

/** What a job is found by: the index compares it with the row's columns, so no key string is built. */
interface JobKey {
  service: string;
  queue: string;
  jobId: string;
}

export interface JobSighting extends JobKey {
  jobName: string;
  attempt: number;
  maxAttempts?: number;
  traceId: string;
  spanId: string;
  timeMs: number;
  /** Set when the sighting is an attempt's end. */
  outcome?: JobOutcome;
  errorType?: string;
  /** traceId + spanId, shared with the model's other maps rather than built again. */
  attemptKey: string;
  /** False for a second sighting of an attempt already counted (its log, then its span). */
  newAttempt: boolean;
}

const MAX_ATTEMPT_KEYS_PER_JOB = 100;
/** Shared by every job until its first failure: most jobs never fail, and a Map each is heavy. */
const NO_ERRORS: ReadonlyMap<string, number> = new Map();

/**
 * Jobs across their attempts, one row each in a RowColumns (numbers in typed arrays, strings in arrays
 * of references): as one object per job (100k of them), every new job cost an object with two boxed
 * timestamps for the young-generation GC to copy twice and the old generation to mark, which made this
 * table a fifth of the model's ingest.
 *
 * Rows are kept in order of first sighting: only when the table is full does the job seen first make
 * room (a job pruned before leaves its row to the next new one).
 * A row is found by service, queue and job id in a HashedKeyIndex that compares with the columns, so no
 * key string is built. Views (`get`, `seenSince`) are snapshots, safe to keep.
 */
export class JobTable {
  private readonly index: HashedKeyIndex<JobKey>;
  private readonly rows: RowColumns;
  private readonly services: RefColumn<string>;
  private readonly queues: RefColumn<string>;
  private readonly jobNames: RefColumn<string>;
  private readonly jobIds: RefColumn<string>;
  private readonly attemptsSeen: NumberColumn;
  private readonly maxAttempt: NumberColumn;
  /** NaN: not known. */
  private readonly maxAttempts: NumberColumn;
  private readonly lastOutcomes: RefColumn<JobOutcome | undefined>;
  private readonly firstSeenMs: NumberColumn;
  private readonly lastSeenMs: NumberColumn;
  private readonly errorTypes: RefColumn<ReadonlyMap<string, number>>;
  private readonly latestTraceIds: RefColumn<string>;
  private readonly latestSpanIds: RefColumn<string>;
  /** The only key of a job seen once (most jobs) is held as itself, not in an array of one. */
  private readonly attemptKeys: RefColumn<string | string[]>;

  constructor(maxJobs: number) {
    const rows = new RowColumns(maxJobs, (row) => this.index.deleteRow(row));
    this.rows = rows;
    this.services = rows.refColumn('');
    this.queues = rows.refColumn('');
    this.jobNames = rows.refColumn('');
    this.jobIds = rows.refColumn('');
    this.attemptsSeen = rows.numberColumn();
    this.maxAttempt = rows.numberColumn();
    this.maxAttempts = rows.numberColumn(Number.NaN);
    this.lastOutcomes = rows.refColumn<JobOutcome | undefined>(undefined);
    this.firstSeenMs = rows.numberColumn();
    this.lastSeenMs = rows.numberColumn();
    this.errorTypes = rows.refColumn(NO_ERRORS);
    this.latestTraceIds = rows.refColumn('');
    this.latestSpanIds = rows.refColumn('');
    this.attemptKeys = rows.refColumn<string | string[]>('');
    const jobIds = this.jobIds;
    const queues = this.queues;
    const services = this.services;
    this.index = new HashedKeyIndex<JobKey>(
      {
        hash: (key) => hashText(key.jobId, hashText(key.queue, hashText(key.service))),
        matches: (row, key) =>
          jobIds.get(row) === key.jobId && queues.get(row) === key.queue && services.get(row) === key.service,
      },
      rows.capacity,
    );
  }

  get size(): number {
    return this.rows.size;
  }

  get(service: string, queue: string, jobId: string): JobEntry | undefined {
    const row = this.find(service, queue, jobId);
    if (row === -1) return undefined;
    const keys = this.attemptKeys.get(row);
    return { ...this.viewOf(row), attemptKeys: typeof keys === 'string' ? [keys] : [...keys] };
  }

  /**
   * Attempts seen of a job, 0 when it is not held: the number of the next delivery where no attribute
   * states the attempt. Forgotten with the job (after `jobRetentionSeconds` without a sighting).
   */
  attemptsSeenOf(service: string, queue: string, jobId: string): number {
    const row = this.find(service, queue, jobId);
    return row === -1 ? 0 : this.attemptsSeen.get(row);
  }

  /**
   * Held jobs seen at or after `sinceMs`, oldest-seen first (reads the column before making views). Made
   * one at a time as the caller iterates, not gathered into an array: detectors read 100k of them every
   * evaluation and keep few, and an array held them all long enough for the GC to copy them out of the
   * young generation. Iterate it to the end before the table changes (detectors run synchronously).
   */
  *seenSince(sinceMs: number): Generator<JobView> {
    for (const row of this.rows.heldRows()) if (this.lastSeenMs.get(row) >= sinceMs) yield this.viewOf(row);
  }

  private viewOf(row: number): JobView {
    const maxAttempts = this.maxAttempts.get(row);
    return {
      service: this.services.get(row),
      queue: this.queues.get(row),
      jobName: this.jobNames.get(row),
      jobId: this.jobIds.get(row),
      attemptsSeen: this.attemptsSeen.get(row),
      maxAttempt: this.maxAttempt.get(row),
      maxAttempts: Number.isNaN(maxAttempts) ? undefined : maxAttempts,
      lastOutcome: this.lastOutcomes.get(row),
      firstSeenMs: this.firstSeenMs.get(row),
      lastSeenMs: this.lastSeenMs.get(row),
      errorTypes: this.errorTypes.get(row),
      latestTraceId: this.latestTraceIds.get(row),
      latestSpanId: this.latestSpanIds.get(row),
    };
  }

  /** The key `find` looks up by (a field, so that no object is made per lookup). */
  private readonly probe: JobKey = { service: '', queue: '', jobId: '' };

  private find(service: string, queue: string, jobId: string): number {
    const probe = this.probe;
    probe.service = service;
    probe.queue = queue;
    probe.jobId = jobId;
    return this.index.get(probe);
  }

  record(sighting: JobSighting): void {
    // The sighting is its own key: `set` below reuses the hash this lookup computed.
    let row = this.index.get(sighting);
    if (row === -1) {
      row = this.rows.take();
      this.fill(row, sighting);
      this.index.set(sighting, row);
    } else if (sighting.newAttempt) {
      this.attemptsSeen.set(row, this.attemptsSeen.get(row) + 1);
      const keys = this.attemptKeys.get(row);
      if (typeof keys !== 'string') {
        keys.push(sighting.attemptKey);
        if (keys.length > MAX_ATTEMPT_KEYS_PER_JOB) keys.shift();
      } else if (keys === '') this.attemptKeys.set(row, sighting.attemptKey);
      else this.attemptKeys.set(row, [keys, sighting.attemptKey]);
    }
    if (sighting.attempt >= this.maxAttempt.get(row)) {
      this.maxAttempt.set(row, sighting.attempt);
      this.latestTraceIds.set(row, sighting.traceId);
      this.latestSpanIds.set(row, sighting.spanId);
      if (sighting.outcome !== undefined) this.lastOutcomes.set(row, sighting.outcome);
    }
    if (sighting.maxAttempts !== undefined) this.maxAttempts.set(row, sighting.maxAttempts);
    if (
      sighting.errorType !== undefined &&
      sighting.outcome !== undefined &&
      sighting.outcome !== 'completed'
    ) {
      let errors = this.errorTypes.get(row) as Map<string, number>;
      if (errors === NO_ERRORS) {
        errors = new Map();
        this.errorTypes.set(row, errors);
      }
      errors.set(sighting.errorType, (errors.get(sighting.errorType) ?? 0) + 1);
    }
    if (sighting.timeMs < this.firstSeenMs.get(row)) this.firstSeenMs.set(row, sighting.timeMs);
    if (sighting.timeMs > this.lastSeenMs.get(row)) this.lastSeenMs.set(row, sighting.timeMs);
  }

  private fill(row: number, sighting: JobSighting): void {
    this.services.set(row, sighting.service);
    this.queues.set(row, sighting.queue);
    this.jobNames.set(row, sighting.jobName);
    this.jobIds.set(row, sighting.jobId);
    this.attemptsSeen.set(row, sighting.newAttempt ? 1 : 0);
    this.maxAttempt.set(row, 0);
    this.maxAttempts.set(row, Number.NaN);
    this.lastOutcomes.set(row, undefined);
    this.firstSeenMs.set(row, sighting.timeMs);
    this.lastSeenMs.set(row, sighting.timeMs);
    this.errorTypes.set(row, NO_ERRORS);
    this.latestTraceIds.set(row, sighting.traceId);
    this.latestSpanIds.set(row, sighting.spanId);
    this.attemptKeys.set(row, sighting.newAttempt ? sighting.attemptKey : '');
  }

  /** Drops jobs with no sighting since `cutoffMs` (a scan of one column: callers run it about once a second). */
  prune(cutoffMs: number): void {
    const lastSeen = this.lastSeenMs.values;
    const allocated = this.rows.allocated;
    for (let row = 0; row < allocated; row++) if (lastSeen[row] < cutoffMs) this.rows.release(row);
  }
}
