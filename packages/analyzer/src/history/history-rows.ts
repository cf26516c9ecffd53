import type { JobOutcome } from '@joblens/semconv';
import {
  type HistoryAttempt,
  type HistoryStep,
  type JobPage,
  type JobSummary,
  MAX_HISTORY_STEPS,
} from './history-store.js';
import { encodeJobCursor } from './job-cursor.js';

/** A row of `history_jobs`, alike in SQLite and PostgreSQL. */
export interface JobRow {
  pk: number;
  service: string;
  queue: string;
  job_id: string;
  job_name: string;
  attempts: number;
  last_attempt: number;
  last_outcome: string;
  first_start_ms: number;
  last_end_ms: number;
  last_worker: string;
  last_host: string;
  last_error_type: string | null;
  last_error_message: string | null;
  latest_trace_id: string;
}

/** An attempt with its job's names, as both stores select it. */
export interface AttemptRow {
  service: string;
  queue: string;
  job_id: string;
  job_name: string;
  attempt: number;
  worker: string;
  host: string;
  start_ms: number;
  end_ms: number;
  outcome: string;
  error_type: string | null;
  error_message: string | null;
  steps: string;
  gap_seconds: number;
  gap_location: string | null;
  trace_id: string;
  span_id: string;
}

export function fromJobRow(row: JobRow): JobSummary {
  return {
    service: row.service,
    queue: row.queue,
    jobName: row.job_name,
    jobId: row.job_id,
    attempts: row.attempts,
    lastAttempt: row.last_attempt,
    lastOutcome: row.last_outcome as JobOutcome,
    firstStartMs: row.first_start_ms,
    lastEndMs: row.last_end_ms,
    lastWorker: row.last_worker,
    lastHost: row.last_host,
    ...(row.last_error_type !== null && { lastErrorType: row.last_error_type }),
    ...(row.last_error_message !== null && { lastErrorMessage: row.last_error_message }),
    latestTraceId: row.latest_trace_id,
  };
}

export function fromAttemptRow(row: AttemptRow): HistoryAttempt {
  return {
    service: row.service,
    queue: row.queue,
    jobName: row.job_name,
    jobId: row.job_id,
    attempt: row.attempt,
    worker: row.worker,
    host: row.host,
    startMs: row.start_ms,
    endMs: row.end_ms,
    outcome: row.outcome as JobOutcome,
    ...(row.error_type !== null && { errorType: row.error_type }),
    ...(row.error_message !== null && { errorMessage: row.error_message }),
    steps: decodeSteps(row.steps),
    longestGapSeconds: row.gap_seconds,
    ...(row.gap_location !== null && { longestGapLocation: row.gap_location }),
    traceId: row.trace_id,
    spanId: row.span_id,
  };
}

/**
 * Steps as compact JSON, `[[name, startMs, endMs], …]`: a third of the size of objects with named keys,
 * which counts over millions of attempts. At most MAX_HISTORY_STEPS, whatever the caller passes.
 */
export function encodeSteps(steps: readonly HistoryStep[]): string {
  return JSON.stringify(
    steps.slice(0, MAX_HISTORY_STEPS).map((step) => [step.name, step.startMs, step.endMs]),
  );
}

function decodeSteps(json: string): HistoryStep[] {
  const steps = JSON.parse(json) as Array<[string, number, number]>;
  return steps.map(([name, startMs, endMs]) => ({ name, startMs, endMs }));
}

/** The page of `limit` jobs out of `limit + 1` fetched, with a cursor when the extra one shows more follow. */
export function toJobPage(rows: JobRow[], limit: number): JobPage {
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    jobs: page.map(fromJobRow),
    ...(rows.length > limit &&
      last && { nextCursor: encodeJobCursor({ lastEndMs: last.last_end_ms, key: last.pk }) }),
  };
}
