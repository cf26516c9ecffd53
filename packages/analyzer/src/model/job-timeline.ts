import type {
  AnalyzerView,
  AttemptTimeline,
  JobRef,
  JobTimeline,
  LiveAttemptTimeline,
  LiveJobView,
} from './analyzer-view.js';
import type { AttemptRecord, AttemptStore } from './attempt-store.js';
import type { JobEntry, JobTable } from './job-table.js';
import type { LiveJobTable } from './live-job-table.js';

export interface TimelineSources {
  attempts: AttemptStore;
  jobs: JobTable;
  live: Pick<LiveJobTable, 'get' | 'values'>;
  view: Pick<AnalyzerView, 'attemptGaps'>;
}

function attemptTimeline(record: AttemptRecord, view: TimelineSources['view']): AttemptTimeline {
  const facts = record.facts;
  return {
    traceId: facts.traceId,
    spanId: facts.spanId,
    attempt: facts.attempt,
    worker: facts.worker,
    host: facts.host,
    startMs: facts.startMs,
    endMs: facts.endMs,
    outcome: facts.outcome,
    errorType: facts.errorType,
    errorMessage: facts.errorMessage,
    steps: record.steps,
    events: record.marks.filter((mark) => mark.kind === 'event'),
    checkpoints: record.marks.filter((mark) => mark.kind === 'checkpoint'),
    gaps: view.attemptGaps(record),
  };
}

function liveTimeline(job: LiveJobView, sources: TimelineSources, now: number): LiveAttemptTimeline {
  return {
    traceId: job.traceId,
    spanId: job.spanId,
    attempt: job.attempt,
    worker: job.worker,
    host: job.host,
    startedMs: job.startedMs,
    currentStep: job.currentStep,
    silenceSeconds: Math.max(0, (now - job.quietSinceMs) / 1000),
    elapsedSeconds: Math.max(0, (now - job.startedMs) / 1000),
    steps: sources.attempts.pendingSteps(job.traceId + job.spanId),
  };
}

function findEntry(
  sources: TimelineSources,
  ref: string | JobRef,
): JobEntry | { seed: AttemptRecord | LiveJobView } | undefined {
  if (typeof ref !== 'string') {
    const entry = sources.jobs.get(ref.service, ref.queue, ref.jobId);
    if (entry !== undefined) return entry;
    // A first attempt still running has no job entry yet.
    for (const job of sources.live.values()) {
      if (job.jobId === ref.jobId && job.queue === ref.queue && job.service === ref.service)
        return { seed: job };
    }
    return undefined;
  }
  const traceId = ref.toLowerCase();
  let seed: AttemptRecord | LiveJobView | undefined;
  for (const record of sources.attempts.inArrivalOrder(Number.NEGATIVE_INFINITY)) {
    if (record.facts.traceId === traceId) {
      seed = record;
      break;
    }
  }
  if (seed === undefined) {
    for (const job of sources.live.values()) {
      if (job.traceId === traceId) {
        seed = job;
        break;
      }
    }
  }
  if (seed === undefined) return undefined;
  const identity = 'facts' in seed ? seed.facts : seed;
  return sources.jobs.get(identity.service, identity.queue, identity.jobId) ?? { seed };
}

/** Every attempt of one job the model still holds, oldest first, and the running one if any. */
export function buildJobTimeline(
  sources: TimelineSources,
  ref: string | JobRef,
  now: number,
): JobTimeline | undefined {
  const found = findEntry(sources, ref);
  if (found === undefined) return undefined;
  const keys =
    'seed' in found
      ? [
          'facts' in found.seed
            ? found.seed.facts.traceId + found.seed.facts.spanId
            : found.seed.traceId + found.seed.spanId,
        ]
      : found.attemptKeys;
  const attempts: AttemptTimeline[] = [];
  let live: LiveAttemptTimeline | undefined;
  for (const key of keys) {
    const record = sources.attempts.get(key);
    if (record !== undefined) {
      attempts.push(attemptTimeline(record, sources.view));
      continue;
    }
    const job = sources.live.get(key);
    if (job !== undefined && (live === undefined || job.startedMs > live.startedMs))
      live = liveTimeline(job, sources, now);
  }
  attempts.sort((a, b) => a.startMs - b.startMs || a.attempt - b.attempt);
  const identity =
    'seed' in found ? ('facts' in found.seed ? found.seed.facts : found.seed) : (found as JobEntry);
  return {
    service: identity.service,
    queue: identity.queue,
    jobName: identity.jobName,
    jobId: identity.jobId,
    attempts,
    live,
  };
}
