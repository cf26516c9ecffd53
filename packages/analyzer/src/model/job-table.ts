import type { JobOutcome } from '@joblens/semconv';
import type { JobView } from './analyzer-view.js';
import { hashText } from './table/hash.js';
import { HashedKeyIndex } from './table/hashed-key-index.js';
import { RowRing } from './table/row-ring.js';

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
 * Jobs across their attempts, one row each in columns: numbers in typed arrays, strings in arrays of
 * references. As one object per job (100k of them), every new job cost an object with two boxed
 * timestamps for the young-generation GC to copy twice and the old generation to mark, which made this
 * table a fifth of the model's ingest; rows cost nothing of the kind, and pruning scans flat arrays.
 *
 * Rows are taken from a RowRing in order of first sighting, so when the ring is full the oldest-seen
 * job makes room. A row is found by service, queue and job id in a HashedKeyIndex. Views (`get`,
 * `seenSince`) are snapshots, safe to keep.
 */
export class JobTable {
  private readonly index: HashedKeyIndex<JobKey>;
  /** Which rows hold a job; it grows the columns by doubling, as jobs come, up to `maxJobs`. */
  private readonly rows: RowRing;
  private readonly services: string[] = [];
  private readonly queues: string[] = [];
  private readonly jobNames: string[] = [];
  private readonly jobIds: string[] = [];
  private attemptsSeen = new Float64Array(0);
  private maxAttempt = new Float64Array(0);
  /** NaN: not known. */
  private maxAttempts = new Float64Array(0);
  private readonly lastOutcomes: (JobOutcome | undefined)[] = [];
  private firstSeenMs = new Float64Array(0);
  private lastSeenMs = new Float64Array(0);
  private readonly errorTypes: ReadonlyMap<string, number>[] = [];
  private readonly latestTraceIds: string[] = [];
  private readonly latestSpanIds: string[] = [];
  /** The only key of a job seen once (most jobs) is held as itself, not in an array of one. */
  private readonly attemptKeys: (string | string[])[] = [];

  constructor(maxJobs: number) {
    this.rows = new RowRing(
      maxJobs,
      (size) => this.growColumns(size),
      (row) => this.drop(row),
    );
    this.index = new HashedKeyIndex<JobKey>(
      {
        hash: (key) => hashText(key.jobId, hashText(key.queue, hashText(key.service))),
        matches: (row, key) =>
          this.jobIds[row] === key.jobId &&
          this.queues[row] === key.queue &&
          this.services[row] === key.service,
      },
      this.rows.capacity,
    );
  }

  /** Gives the columns room for `size` rows; rows keep their numbers. */
  private growColumns(size: number): void {
    const allocated = this.rows.allocated;
    this.attemptsSeen = grown(this.attemptsSeen, new Float64Array(size));
    this.maxAttempt = grown(this.maxAttempt, new Float64Array(size));
    this.maxAttempts = grown(this.maxAttempts, new Float64Array(size));
    this.firstSeenMs = grown(this.firstSeenMs, new Float64Array(size));
    this.lastSeenMs = grown(this.lastSeenMs, new Float64Array(size));
    for (let row = allocated; row < size; row++) {
      this.services.push('');
      this.queues.push('');
      this.jobNames.push('');
      this.jobIds.push('');
      this.lastOutcomes.push(undefined);
      this.errorTypes.push(NO_ERRORS);
      this.latestTraceIds.push('');
      this.latestSpanIds.push('');
      this.attemptKeys.push('');
    }
  }

  get size(): number {
    return this.rows.size;
  }

  get(service: string, queue: string, jobId: string): JobEntry | undefined {
    const row = this.find(service, queue, jobId);
    if (row === -1) return undefined;
    const keys = this.attemptKeys[row];
    return { ...this.viewOf(row), attemptKeys: typeof keys === 'string' ? [keys] : [...keys] };
  }

  /**
   * Attempts seen of a job, 0 when it is not held: the number of the next delivery where no attribute
   * states the attempt. Forgotten with the job (after `jobRetentionSeconds` without a sighting).
   */
  attemptsSeenOf(service: string, queue: string, jobId: string): number {
    const row = this.find(service, queue, jobId);
    return row === -1 ? 0 : this.attemptsSeen[row];
  }

  /**
   * Held jobs seen at or after `sinceMs`, oldest-seen first (reads the column before making views). Made
   * one at a time as the caller iterates, not gathered into an array: detectors read 100k of them every
   * evaluation and keep few, and an array held them all long enough for the GC to copy them out of the
   * young generation. Iterate it to the end before the table changes (detectors run synchronously).
   */
  *seenSince(sinceMs: number): Generator<JobView> {
    // From the row the next new job takes: the ring's oldest, or an unused one before the first wrap.
    const start = this.rows.oldest;
    const allocated = this.rows.allocated;
    for (let i = 0; i < allocated; i++) {
      const row = (start + i) % allocated;
      if (this.rows.isHeld(row) && this.lastSeenMs[row] >= sinceMs) yield this.viewOf(row);
    }
  }

  private viewOf(row: number): JobView {
    const maxAttempts = this.maxAttempts[row];
    return {
      service: this.services[row],
      queue: this.queues[row],
      jobName: this.jobNames[row],
      jobId: this.jobIds[row],
      attemptsSeen: this.attemptsSeen[row],
      maxAttempt: this.maxAttempt[row],
      maxAttempts: Number.isNaN(maxAttempts) ? undefined : maxAttempts,
      lastOutcome: this.lastOutcomes[row],
      firstSeenMs: this.firstSeenMs[row],
      lastSeenMs: this.lastSeenMs[row],
      errorTypes: this.errorTypes[row],
      latestTraceId: this.latestTraceIds[row],
      latestSpanId: this.latestSpanIds[row],
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
      this.attemptsSeen[row] += 1;
      const keys = this.attemptKeys[row];
      if (typeof keys !== 'string') {
        keys.push(sighting.attemptKey);
        if (keys.length > MAX_ATTEMPT_KEYS_PER_JOB) keys.shift();
      } else if (keys === '') this.attemptKeys[row] = sighting.attemptKey;
      else this.attemptKeys[row] = [keys, sighting.attemptKey];
    }
    if (sighting.attempt >= this.maxAttempt[row]) {
      this.maxAttempt[row] = sighting.attempt;
      this.latestTraceIds[row] = sighting.traceId;
      this.latestSpanIds[row] = sighting.spanId;
      if (sighting.outcome !== undefined) this.lastOutcomes[row] = sighting.outcome;
    }
    if (sighting.maxAttempts !== undefined) this.maxAttempts[row] = sighting.maxAttempts;
    if (
      sighting.errorType !== undefined &&
      sighting.outcome !== undefined &&
      sighting.outcome !== 'completed'
    ) {
      let errors = this.errorTypes[row] as Map<string, number>;
      if (errors === NO_ERRORS) {
        errors = new Map();
        this.errorTypes[row] = errors;
      }
      errors.set(sighting.errorType, (errors.get(sighting.errorType) ?? 0) + 1);
    }
    if (sighting.timeMs < this.firstSeenMs[row]) this.firstSeenMs[row] = sighting.timeMs;
    if (sighting.timeMs > this.lastSeenMs[row]) this.lastSeenMs[row] = sighting.timeMs;
  }

  private fill(row: number, sighting: JobSighting): void {
    this.services[row] = sighting.service;
    this.queues[row] = sighting.queue;
    this.jobNames[row] = sighting.jobName;
    this.jobIds[row] = sighting.jobId;
    this.attemptsSeen[row] = sighting.newAttempt ? 1 : 0;
    this.maxAttempt[row] = 0;
    this.maxAttempts[row] = Number.NaN;
    this.lastOutcomes[row] = undefined;
    this.firstSeenMs[row] = sighting.timeMs;
    this.lastSeenMs[row] = sighting.timeMs;
    this.errorTypes[row] = NO_ERRORS;
    this.latestTraceIds[row] = sighting.traceId;
    this.latestSpanIds[row] = sighting.spanId;
    this.attemptKeys[row] = sighting.newAttempt ? sighting.attemptKey : '';
  }

  /** Empties a row the ring let go of (evicted or pruned). */
  private drop(row: number): void {
    this.index.deleteRow(row);
    // Let go of what the row referenced: names stay shared, ids and keys would be held for nothing.
    this.jobIds[row] = '';
    this.latestTraceIds[row] = '';
    this.latestSpanIds[row] = '';
    this.attemptKeys[row] = '';
    this.errorTypes[row] = NO_ERRORS;
  }

  /** Drops jobs with no sighting since `cutoffMs` (a scan of one column: callers run it about once a second). */
  prune(cutoffMs: number): void {
    const lastSeen = this.lastSeenMs;
    const allocated = this.rows.allocated;
    for (let row = 0; row < allocated; row++) {
      if (lastSeen[row] < cutoffMs && this.rows.release(row)) this.drop(row);
    }
  }
}

/** `into` (a larger array of the same kind) with `from` copied to its start. */
function grown<T extends Float64Array>(from: T, into: T): T {
  into.set(from);
  return into;
}
