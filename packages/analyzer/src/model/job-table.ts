import type { JobOutcome } from '@joblens/semconv';
import type { JobView } from './analyzer-view.js';
import { evictOldest } from './evict-oldest.js';

export interface JobEntry extends JobView {
  /** Shared empty map until the first failure: most jobs never fail, and a Map each is heavy. */
  errorTypes: Map<string, number>;
  /** Keys (trace + span id) of the attempts seen, oldest first; bounded. */
  attemptKeys: string[];
}

const MAX_ATTEMPT_KEYS_PER_JOB = 100;
const NO_ERRORS: Map<string, number> = new Map();

export function jobKey(service: string, queue: string, jobId: string): string {
  return `${service}\u0000${queue}\u0000${jobId}`;
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
 * first. Entries are not moved on update (Map delete + set per span costs more than a periodic scan).
 */
export class JobTable {
  readonly byKey = new Map<string, JobEntry>();

  constructor(private readonly maxJobs: number) {}

  record(sighting: JobSighting): void {
    const key = jobKey(sighting.service, sighting.queue, sighting.jobId);
    let entry = this.byKey.get(key);
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
        // Sized to its one key: most jobs have one attempt, and `[]` then push reserves room for 17.
        attemptKeys: sighting.newAttempt ? [sighting.attemptKey] : [],
      };
      this.byKey.set(key, entry);
      counted = true;
    }
    if (sighting.newAttempt && !counted) {
      entry.attemptsSeen += 1;
      entry.attemptKeys.push(sighting.attemptKey);
      if (entry.attemptKeys.length > MAX_ATTEMPT_KEYS_PER_JOB) entry.attemptKeys.shift();
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
    evictOldest(this.byKey, this.maxJobs);
  }

  /** Drops jobs with no sighting since `cutoffMs` (a full scan: callers run it about once a second). */
  prune(cutoffMs: number): void {
    // forEach, not for-of over entries: that allocated a [key, entry] pair per job, 100k a second.
    this.byKey.forEach((entry, key) => {
      if (entry.lastSeenMs < cutoffMs) this.byKey.delete(key);
    });
  }
}
