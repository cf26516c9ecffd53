import type { JobOutcome } from '@joblens/semconv';

/** One finished attempt as the job history keeps it. Text fields are redacted before they get here. */
export interface HistoryAttempt {
  service: string;
  queue: string;
  jobName: string;
  jobId: string;
  attempt: number;
  worker: string;
  host: string;
  startMs: number;
  endMs: number;
  outcome: JobOutcome;
  errorType?: string;
  errorMessage?: string;
  /** Step spans, by start; at most MAX_HISTORY_STEPS. */
  steps: HistoryStep[];
  /** The attempt's longest silent interval, 0 when none. */
  longestGapSeconds: number;
  /** Where it was: `after->before` (see GapView.location). */
  longestGapLocation?: string;
  traceId: string;
  spanId: string;
}

export interface HistoryStep {
  name: string;
  startMs: number;
  endMs: number;
}

/** Steps kept per attempt; a job with more keeps its first ones (the page says how many there were). */
export const MAX_HISTORY_STEPS = 50;

/**
 * The attempts of one job a history lists (the newest), and the most the SQLite history keeps: a poison
 * job retried thousands of times is still one row, not one that grows and is rewritten at every retry. A
 * job's `attempts` counts them all.
 */
export const MAX_JOB_ATTEMPTS = 100;

/** A job (service + queue + job id) and its latest state. */
export interface JobSummary {
  service: string;
  queue: string;
  jobName: string;
  jobId: string;
  /** Attempts stored. */
  attempts: number;
  /** Highest attempt number seen. */
  lastAttempt: number;
  lastOutcome: JobOutcome;
  firstStartMs: number;
  lastEndMs: number;
  lastWorker: string;
  lastHost: string;
  lastErrorType?: string;
  lastErrorMessage?: string;
  latestTraceId: string;
}

/** Filters of `GET /api/jobs`; all optional, combined with AND. Matching on the job's latest state. */
export interface JobSearch {
  queue?: string;
  /** Job name, exact. */
  name?: string;
  /** Job id, exact. */
  id?: string;
  /** The worker of the latest attempt, exact. */
  worker?: string;
  outcome?: JobOutcome;
  /** Substring of the latest error type or message, case-insensitive. */
  error?: string;
  /** Latest attempt ended at or after (Unix ms). */
  fromMs?: number;
  /** Latest attempt ended before (Unix ms). */
  toMs?: number;
  /** 1..500, default 50. */
  limit?: number;
  /** Opaque; from the previous page's `nextCursor`. */
  cursor?: string;
}

/** Newest first (by lastEndMs, then by key); `nextCursor` while more match. */
export interface JobPage {
  jobs: JobSummary[];
  nextCursor?: string;
}

export interface JobKey {
  service: string;
  queue: string;
  jobId: string;
}

export interface HistoryRetention {
  /** Attempts that ended before this are deleted (and jobs left without attempts). */
  olderThanMs: number;
  /** Past this, the oldest attempts go too. */
  maxBytes: number;
}

/**
 * Where finished attempts and each job's latest state live: SQLite in the analyzer's file by default,
 * PostgreSQL when analyzers share a database. Every implementation passes test/history/history-store-contract.ts.
 */
export interface HistoryStore {
  /** Stores attempts (idempotent by trace id + span id) and updates their jobs' latest state, atomically. */
  append(attempts: readonly HistoryAttempt[]): Promise<void>;
  /** Rejects with InvalidCursorError (history/job-cursor.ts) for a cursor it did not hand out: a 400, not a 500. */
  searchJobs(search: JobSearch): Promise<JobPage>;
  /** The job's newest MAX_JOB_ATTEMPTS attempts, oldest first; empty when none. */
  jobAttempts(job: JobKey): Promise<HistoryAttempt[]>;
  /** Jobs with this id in any service or queue (a job id is not unique across queues). */
  jobsById(jobId: string): Promise<JobSummary[]>;
  prune(retention: HistoryRetention): Promise<{ deletedAttempts: number }>;
  /** Approximate bytes the history takes. */
  sizeBytes(): Promise<number>;
  close(): Promise<void>;
}
