import type { Severity } from '../detectors/finding-draft.js';
import type { Finding, FindingStatus } from '../findings/finding.js';
import type { FindingStore } from '../findings/finding-store.js';
import { type IncidentState, incidentState } from '../findings/incident-state.js';
import {
  type HistoryAttempt,
  type HistoryStep,
  type HistoryStore,
  type JobKey,
  type JobSummary,
  MAX_HISTORY_STEPS,
} from '../history/history-store.js';
import { byStartThenAttempt } from '../history/job-attempt-order.js';
import type { AnalyzerView, AttemptTimeline, JobTimeline } from '../model/analyzer-view.js';

/** A finding about a job, as the job's API answer and page list it. */
export interface JobFindingRef {
  id: string;
  type: string;
  severity: Severity;
  status: FindingStatus;
  state: IncidentState;
  summary: string;
  firstSeen: number;
  lastSeen: number;
}

/** The attempt of a job running now, from the analyzer's model. */
export interface LiveJobAttempt {
  attempt: number;
  worker: string;
  host: string;
  traceId: string;
  spanId: string;
  startedMs: number;
  currentStep?: string;
  silenceSeconds: number;
  elapsedSeconds: number;
  /** Steps already finished. */
  steps: HistoryStep[];
}

/** `GET /api/jobs/:service/:queue/:jobId`. */
export interface ApiJobDetail {
  /** The job's latest state; absent while its first attempt still runs. */
  job?: JobSummary;
  /**
   * The finished attempts, oldest first: the newest MAX_JOB_ATTEMPTS the history lists, and those the
   * model holds that it has not stored yet. `job.attempts` counts them all.
   */
  attempts: HistoryAttempt[];
  /** Findings that name the job or one of its traces, newest first. */
  findings: JobFindingRef[];
  live?: LiveJobAttempt;
}

export interface JobDetailSources {
  history: HistoryStore;
  store: FindingStore;
  view: AnalyzerView;
  now: () => number;
}

/** Findings searched for a job's: the newest ones, which are those a person opening a job wants. */
const FINDINGS_SCANNED = 1000;

/**
 * Everything known about one job, or undefined when nothing is. History is written in batches off the
 * ingest path, so an attempt that just ended may be in the model and not yet stored: the answer joins both.
 */
export async function readJobDetail(
  sources: JobDetailSources,
  key: JobKey,
): Promise<ApiJobDetail | undefined> {
  const now = sources.now();
  const stored = await sources.history.jobAttempts(key);
  const storedJob = (await sources.history.jobsById(key.jobId)).find(
    (job) => job.service === key.service && job.queue === key.queue,
  );
  const timeline = sources.view.jobTimeline(key, now);
  const { attempts, unstored } = joinAttempts(stored, timeline);
  const live = timeline?.live && {
    attempt: timeline.live.attempt,
    worker: timeline.live.worker,
    host: timeline.live.host,
    traceId: timeline.live.traceId,
    spanId: timeline.live.spanId,
    startedMs: timeline.live.startedMs,
    currentStep: timeline.live.currentStep,
    silenceSeconds: timeline.live.silenceSeconds,
    elapsedSeconds: timeline.live.elapsedSeconds,
    steps: timeline.live.steps.slice(0, MAX_HISTORY_STEPS).map(stepOf),
  };
  if (attempts.length === 0 && !live) return undefined;
  const traceIds = new Set(attempts.map((a) => a.traceId));
  if (live) traceIds.add(live.traceId);
  const findings = (await sources.store.list({ limit: FINDINGS_SCANNED }))
    .filter((finding) => isAbout(finding, key, traceIds))
    .map((finding) => findingRef(finding, now));
  const job = summarize(attempts, storedJob, unstored);
  return { ...(job && { job }), attempts, findings, ...(live ? { live } : {}) };
}

/**
 * Stored attempts and the model's finished ones, once each (by trace and span id), oldest first, and how
 * many of them the history has not stored yet.
 */
function joinAttempts(
  stored: HistoryAttempt[],
  timeline: JobTimeline | undefined,
): { attempts: HistoryAttempt[]; unstored: number } {
  if (!timeline || timeline.attempts.length === 0) return { attempts: stored, unstored: 0 };
  const seen = new Set(stored.map((a) => `${a.traceId}/${a.spanId}`));
  const fresh = timeline.attempts
    .filter((a) => !seen.has(`${a.traceId}/${a.spanId}`))
    .map((a) => historyAttemptOfTimeline(timeline, a));
  if (fresh.length === 0) return { attempts: stored, unstored: 0 };
  return { attempts: [...stored, ...fresh].sort(byStartThenAttempt), unstored: fresh.length };
}

function historyAttemptOfTimeline(job: JobTimeline, a: AttemptTimeline): HistoryAttempt {
  const gap = a.gaps[0];
  return {
    service: job.service,
    queue: job.queue,
    jobName: job.jobName,
    jobId: job.jobId,
    attempt: a.attempt,
    worker: a.worker,
    host: a.host,
    startMs: a.startMs,
    endMs: a.endMs,
    outcome: a.outcome,
    errorType: a.errorType,
    errorMessage: a.errorMessage,
    steps: a.steps.slice(0, MAX_HISTORY_STEPS).map(stepOf),
    longestGapSeconds: gap?.seconds ?? 0,
    longestGapLocation: gap?.location,
    traceId: a.traceId,
    spanId: a.spanId,
  };
}

function stepOf(step: { name: string; startMs: number; endMs: number }): HistoryStep {
  return { name: step.name, startMs: step.startMs, endMs: step.endMs };
}

/**
 * The job's latest state from its attempts, as the history keeps it per job; the counts and the first
 * start take in what the history counted beyond the attempts it lists (`stored`), and the `unstored` ones.
 */
function summarize(
  attempts: HistoryAttempt[],
  stored: JobSummary | undefined,
  unstored: number,
): JobSummary | undefined {
  if (attempts.length === 0) return undefined;
  let latest = attempts[0]!;
  for (const a of attempts)
    if (a.endMs > latest.endMs || (a.endMs === latest.endMs && a.attempt > latest.attempt)) latest = a;
  return {
    service: latest.service,
    queue: latest.queue,
    jobName: latest.jobName,
    jobId: latest.jobId,
    attempts: stored === undefined ? attempts.length : Math.max(attempts.length, stored.attempts + unstored),
    lastAttempt: Math.max(stored?.lastAttempt ?? 0, ...attempts.map((a) => a.attempt)),
    lastOutcome: latest.outcome,
    firstStartMs: Math.min(
      stored?.firstStartMs ?? Number.POSITIVE_INFINITY,
      ...attempts.map((a) => a.startMs),
    ),
    lastEndMs: latest.endMs,
    lastWorker: latest.worker,
    lastHost: latest.host,
    lastErrorType: latest.errorType,
    lastErrorMessage: latest.errorMessage,
    latestTraceId: latest.traceId,
  };
}

/**
 * A finding is about the job when its subject names the job (its id, and the service and queue when it
 * names them: a job id is unique only within a queue), or when its evidence points at one of the job's traces.
 */
function isAbout(finding: Finding, key: JobKey, traceIds: ReadonlySet<string>): boolean {
  const s = finding.subject;
  if (
    s.jobId === key.jobId &&
    (s.service === undefined || s.service === key.service) &&
    (s.queue === undefined || s.queue === key.queue)
  )
    return true;
  return finding.evidence.traces.some((t) => traceIds.has(t.traceId));
}

function findingRef(finding: Finding, now: number): JobFindingRef {
  return {
    id: finding.id,
    type: finding.type,
    severity: finding.severity,
    status: finding.status,
    state: incidentState(finding, now),
    summary: finding.summary,
    firstSeen: finding.firstSeen,
    lastSeen: finding.lastSeen,
  };
}
