import type { Attributes } from '@joblens/otlp-receiver';
import { ATTR_ERROR_TYPE, ATTR_JOB_OUTCOME, JOB_OUTCOMES, type JobOutcome } from '@joblens/semconv';
import type { LiveJobView } from './analyzer-view.js';
import type { AttemptStore } from './attempt-store.js';
import { readString } from './attribute-readers.js';
import type { EndedKeys } from './ended-keys.js';
import type { JobLogFacts } from './facts.js';
import type { JobTable } from './job-table.js';
import type { LiveJobTable } from './live-job-table.js';
import type { WorkerTable } from './worker-table.js';

const OUTCOMES: ReadonlySet<string> = new Set(JOB_OUTCOMES);

/**
 * What an attempt's log records update. An attempt's start and end are each counted once, whichever of
 * its records and its span arrives first; records of an attempt already ended change nothing.
 */
export interface LifecycleTables {
  live: LiveJobTable;
  workers: WorkerTable;
  jobs: JobTable;
  attempts: Pick<AttemptStore, 'has'>;
  ended: Pick<EndedKeys, 'has'>;
  markEnded(key: string): void;
  /** Shares repeated names (queues, job names) among the many live jobs. */
  intern(value: string): string;
  /** A `still running` record reporting this much silence leaves its attributes on the live job. */
  silentAttemptMs: number;
  /**
   * The attributes a live job keeps in place of `previous`: `next`, or undefined when they do not fit
   * the model's budget for live jobs' attributes.
   */
  keepLiveAttributes(previous: Attributes | undefined, next: Attributes): Attributes | undefined;
}

/** A started or still-running record: opens the live job, or brings its step and silence up to date. */
export function ingestRunning(tables: LifecycleTables, facts: JobLogFacts): void {
  if (facts.traceId === '' || facts.spanId === '') return;
  const key = facts.traceId + facts.spanId;
  if (tables.ended.has(key) || tables.attempts.has(key)) return;
  const silenceMs = facts.silenceSeconds === undefined ? undefined : facts.silenceSeconds * 1000;
  const existing = tables.live.get(key);
  if (existing === undefined) {
    const queue = tables.intern(facts.queue ?? '');
    const startedMs =
      facts.kind === 'started' ? facts.timeMs : facts.timeMs - (facts.elapsedSeconds ?? 0) * 1000;
    const job: LiveJobView = {
      traceId: facts.traceId,
      spanId: facts.spanId,
      service: facts.service,
      worker: facts.worker,
      host: facts.host,
      queue,
      jobName: facts.jobName === undefined ? queue : tables.intern(facts.jobName),
      jobId: facts.jobId ?? facts.spanId,
      attempt: facts.attempt ?? 1,
      startedMs,
      lastRecordMs: facts.timeMs,
      quietSinceMs: facts.timeMs - (silenceMs ?? 0),
      currentStep: facts.currentStep,
      attributes: silentEnough(tables, facts, silenceMs)
        ? tables.keepLiveAttributes(undefined, facts.attributes)
        : undefined,
    };
    const worker = tables.workers.touch(facts.worker, facts.service, facts.host, facts.timeMs);
    worker.activeJobs += 1;
    if (queue !== '') worker.queues.add(queue);
    tables.workers.recordStart(worker, queue, startedMs);
    tables.live.add(key, job);
    // A first attempt joins the job table at its end: 100k running jobs need no job entries of their own.
    if (job.attempt > 1) {
      tables.jobs.record({
        service: job.service,
        queue,
        jobName: job.jobName,
        jobId: job.jobId,
        attempt: job.attempt,
        traceId: job.traceId,
        spanId: job.spanId,
        timeMs: facts.timeMs,
        attemptKey: key,
        newAttempt: true,
      });
    }
    return;
  }
  if (facts.timeMs >= existing.lastRecordMs) {
    existing.lastRecordMs = facts.timeMs;
    if (facts.currentStep !== undefined || facts.kind === 'still_running')
      existing.currentStep = facts.currentStep;
    if (silentEnough(tables, facts, silenceMs))
      existing.attributes = tables.keepLiveAttributes(existing.attributes, facts.attributes);
  }
  if (facts.kind === 'started' && facts.timeMs < existing.startedMs) existing.startedMs = facts.timeMs;
  if (silenceMs !== undefined || facts.kind === 'started') {
    const quiet = facts.timeMs - (silenceMs ?? 0);
    if (quiet > existing.quietSinceMs) existing.quietSinceMs = quiet;
  }
}

function silentEnough(tables: LifecycleTables, facts: JobLogFacts, silenceMs: number | undefined): boolean {
  return facts.kind === 'still_running' && silenceMs !== undefined && silenceMs >= tables.silentAttemptMs;
}

/** An ended record: closes the live job and counts the attempt's end, once (the span may come later). */
export function ingestEnded(tables: LifecycleTables, facts: JobLogFacts): void {
  if (facts.traceId === '' || facts.spanId === '') return;
  const key = facts.traceId + facts.spanId;
  if (tables.ended.has(key) || tables.attempts.has(key)) return;
  const live = tables.live.remove(key);
  const worker = tables.workers.touch(facts.worker, facts.service, facts.host, facts.timeMs);
  const queue = facts.queue ?? live?.queue ?? '';
  const declared = readString(facts.attributes, ATTR_JOB_OUTCOME);
  const outcome = declared !== undefined && OUTCOMES.has(declared) ? (declared as JobOutcome) : undefined;
  const busyMs =
    facts.elapsedSeconds !== undefined
      ? facts.elapsedSeconds * 1000
      : live !== undefined
        ? facts.timeMs - live.startedMs
        : 0;
  if (live === undefined) tables.workers.recordStart(worker, queue, facts.timeMs - busyMs);
  tables.workers.recordEnd(
    worker,
    queue,
    facts.timeMs,
    busyMs,
    outcome === undefined || outcome === 'completed',
  );
  tables.markEnded(key);
  const jobId = facts.jobId ?? live?.jobId;
  if (jobId === undefined) return;
  tables.jobs.record({
    service: facts.service,
    queue,
    jobName: facts.jobName ?? live?.jobName ?? queue,
    jobId,
    attempt: facts.attempt ?? live?.attempt ?? 1,
    traceId: facts.traceId,
    spanId: facts.spanId,
    timeMs: facts.timeMs,
    outcome,
    errorType: readString(facts.attributes, ATTR_ERROR_TYPE),
    attemptKey: key,
    // Only a retry's start put the attempt in the job table already.
    newAttempt: live === undefined || live.attempt <= 1,
  });
}
