import type { JobOutcome } from '@joblens/semconv';
import type { JobView } from './analyzer-view.js';

export interface JobEntry extends JobView {
  /** Shared empty map until the first failure: most jobs never fail, and a Map each is heavy. */
  errorTypes: Map<string, number>;
  /**
   * Keys (trace + span id) of the attempts seen, oldest first; bounded. The only key of a job seen once
   * (most jobs) is held as itself: an array each cost 100k objects for the GC to copy and mark.
   * `attemptKeysOf` reads both forms.
   */
  attemptKeys: string | string[];
  /** Set once evicted or pruned, so the arrival list can skip it until it is compacted. */
  dropped: boolean;
}

const MAX_ATTEMPT_KEYS_PER_JOB = 100;
const NO_ERRORS: Map<string, number> = new Map();
/** Shared by jobs with no attempt key yet; never mutated. */
const NO_KEYS: string[] = [];

/** The keys of the job's attempts seen, oldest first, whichever form `attemptKeys` holds them in. */
export function attemptKeysOf(entry: JobEntry): readonly string[] {
  return typeof entry.attemptKeys === 'string' ? [entry.attemptKeys] : entry.attemptKeys;
}

export interface JobSighting {
  service: string;
  queue: string;
  jobName: string;
  jobId: string;
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

/**
 * Jobs across their attempts, in order of first sighting: the count bound evicts the oldest-seen job
 * first. Found by service, then queue, then job id, in nested maps: the names are few and shared (their
 * hashes cached), so this costs one lookup by the job id, where a joined key string per sighting cost a
 * concatenation, its flattening and hashing, and kept a ~100-byte key per job. Entries are not moved on
 * update (Map delete + set per span costs more than a periodic scan).
 */
export class JobTable {
  private readonly byScope = new Map<string, Map<string, Map<string, JobEntry>>>();
  /**
   * Entries in order of first sighting from `head`; dropped ones stay until the next compaction. Slots
   * before `head` are released at once: kept until the compaction, the evicted entries (up to half the
   * array, some 70k at the default bound) held their strings, numbers and keys in the heap for the GC
   * to copy and mark.
   */
  private order: (JobEntry | undefined)[] = [];
  private head = 0;
  private count = 0;

  constructor(private readonly maxJobs: number) {}

  get size(): number {
    return this.count;
  }

  get(service: string, queue: string, jobId: string): JobEntry | undefined {
    return this.byScope.get(service)?.get(queue)?.get(jobId);
  }

  /** Held jobs, oldest-seen first. */
  forEach(visit: (entry: JobEntry) => void): void {
    const order = this.order;
    for (let i = this.head; i < order.length; i++) {
      const entry = order[i];
      if (entry !== undefined && !entry.dropped) visit(entry);
    }
  }

  private jobsOf(service: string, queue: string): Map<string, JobEntry> {
    let queues = this.byScope.get(service);
    if (queues === undefined) {
      queues = new Map();
      this.byScope.set(service, queues);
    }
    let jobs = queues.get(queue);
    if (jobs === undefined) {
      jobs = new Map();
      queues.set(queue, jobs);
    }
    return jobs;
  }

  record(sighting: JobSighting): void {
    const jobs = this.jobsOf(sighting.service, sighting.queue);
    let entry = jobs.get(sighting.jobId);
    let counted = false;
    if (entry === undefined) {
      // Every field set from the start (optional ones undefined), so all entries share one shape and the
      // detectors walking 100k of them read them monomorphically.
      entry = {
        service: sighting.service,
        queue: sighting.queue,
        jobName: sighting.jobName,
        jobId: sighting.jobId,
        attemptsSeen: sighting.newAttempt ? 1 : 0,
        maxAttempt: 0,
        maxAttempts: undefined,
        lastOutcome: undefined,
        firstSeenMs: sighting.timeMs,
        lastSeenMs: sighting.timeMs,
        errorTypes: NO_ERRORS,
        latestTraceId: sighting.traceId,
        latestSpanId: sighting.spanId,
        attemptKeys: sighting.newAttempt ? sighting.attemptKey : NO_KEYS,
        dropped: false,
      };
      jobs.set(sighting.jobId, entry);
      this.order.push(entry);
      this.count += 1;
      counted = true;
    }
    if (sighting.newAttempt && !counted) {
      entry.attemptsSeen += 1;
      const keys = entry.attemptKeys;
      if (typeof keys === 'string') entry.attemptKeys = [keys, sighting.attemptKey];
      else if (keys === NO_KEYS) entry.attemptKeys = sighting.attemptKey;
      else {
        keys.push(sighting.attemptKey);
        if (keys.length > MAX_ATTEMPT_KEYS_PER_JOB) keys.shift();
      }
    }
    if (sighting.attempt >= entry.maxAttempt) {
      entry.maxAttempt = sighting.attempt;
      entry.latestTraceId = sighting.traceId;
      entry.latestSpanId = sighting.spanId;
      if (sighting.outcome !== undefined) entry.lastOutcome = sighting.outcome;
    }
    if (sighting.maxAttempts !== undefined) entry.maxAttempts = sighting.maxAttempts;
    if (
      sighting.errorType !== undefined &&
      sighting.outcome !== undefined &&
      sighting.outcome !== 'completed'
    ) {
      if (entry.errorTypes === NO_ERRORS) entry.errorTypes = new Map();
      entry.errorTypes.set(sighting.errorType, (entry.errorTypes.get(sighting.errorType) ?? 0) + 1);
    }
    entry.firstSeenMs = Math.min(entry.firstSeenMs, sighting.timeMs);
    entry.lastSeenMs = Math.max(entry.lastSeenMs, sighting.timeMs);
    if (this.count > this.maxJobs) this.evictOldest();
  }

  private drop(entry: JobEntry): void {
    entry.dropped = true;
    this.count -= 1;
    const queues = this.byScope.get(entry.service);
    const jobs = queues?.get(entry.queue);
    if (queues === undefined || jobs === undefined) return;
    jobs.delete(entry.jobId);
    // Queue and service names may come and go (or be junk): no empty maps left behind for them.
    if (jobs.size === 0) {
      queues.delete(entry.queue);
      if (queues.size === 0) this.byScope.delete(entry.service);
    }
  }

  /** Evicts the oldest-seen jobs, 1/64 more than needed at once, as `evictOldest` does. */
  private evictOldest(): void {
    const target = Math.max(0, this.maxJobs - Math.floor(this.maxJobs / 64));
    const order = this.order;
    while (this.count > target && this.head < order.length) {
      const entry = order[this.head];
      order[this.head++] = undefined;
      if (entry !== undefined && !entry.dropped) this.drop(entry);
    }
    if (this.head * 2 > order.length) this.compact();
  }

  private compact(): void {
    const kept: JobEntry[] = [];
    const order = this.order;
    for (let i = this.head; i < order.length; i++) {
      const entry = order[i];
      if (entry !== undefined && !entry.dropped) kept.push(entry);
    }
    this.order = kept;
    this.head = 0;
  }

  /** Drops jobs with no sighting since `cutoffMs` (a full scan: callers run it about once a second). */
  prune(cutoffMs: number): void {
    const order = this.order;
    let dropped = 0;
    for (let i = this.head; i < order.length; i++) {
      const entry = order[i];
      if (entry !== undefined && !entry.dropped && entry.lastSeenMs < cutoffMs) {
        this.drop(entry);
        dropped += 1;
      }
    }
    if (dropped > 0) this.compact();
  }
}
