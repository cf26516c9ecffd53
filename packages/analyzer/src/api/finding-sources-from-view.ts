import type { Finding } from '../findings/finding.js';
import type { FindingSources, MonitorRow, WorkerRow } from '../findings/finding-sources.js';
import type { FindingStore } from '../findings/finding-store.js';
import type { TimelineAttempt, TimelineData } from '../findings/timeline-data.js';
import type {
  AnalyzerView,
  AttemptTimeline,
  JobTimeline,
  LiveAttemptTimeline,
} from '../model/analyzer-view.js';

export interface FindingSourcesInput {
  store: FindingStore;
  view: AnalyzerView;
  now: () => number;
  monitors?: () => MonitorRow[];
  jaegerUrl?: string;
}

/** What the page and `explain` read, answered from the store and the job model. */
export function findingSourcesFromView(input: FindingSourcesInput): FindingSources {
  const { store, view, now } = input;
  return {
    store,
    now,
    jaegerUrl: input.jaegerUrl,
    monitors: () => input.monitors?.() ?? [],
    workers: () => view.workers(now()).map(toWorkerRow),
    timelineFor: (finding) => {
      const timeline = timelineOf(view, finding, now());
      return timeline && toTimelineData(timeline, now());
    },
    attemptDetail: (finding) => {
      const trace = finding.evidence.traces.find((t) => t.spanId);
      const context = trace?.spanId ? view.attemptContext(trace.traceId, trace.spanId, now()) : undefined;
      if (!context) return undefined;
      return {
        attributes: context.attributes,
        snapshot: context.snapshot,
        dump: context.dumps.at(-1)?.attributes,
      };
    },
  };
}

/** The job a finding is about: by its subject's job id, else by the first trace of its evidence. */
function timelineOf(view: AnalyzerView, finding: Finding, now: number): JobTimeline | undefined {
  const { service, queue, jobId } = finding.subject;
  if (service && queue && jobId) {
    const byJob = view.jobTimeline({ service, queue, jobId }, now);
    if (byJob) return byJob;
  }
  for (const trace of finding.evidence.traces) {
    const byTrace = view.jobTimeline(trace.traceId, now);
    if (byTrace) return byTrace;
  }
  return undefined;
}

function toTimelineData(job: JobTimeline, now: number): TimelineData {
  const attempts = job.attempts.map(toTimelineAttempt);
  if (job.live) attempts.push(toLiveAttempt(job.live, now));
  return { title: `${job.jobName} ${job.jobId} on ${job.queue} (${job.service})`, attempts };
}

function toTimelineAttempt(a: AttemptTimeline): TimelineAttempt {
  return {
    attempt: a.attempt,
    traceId: a.traceId,
    spanId: a.spanId,
    worker: a.worker,
    host: a.host,
    startMs: a.startMs,
    endMs: a.endMs,
    outcome: a.outcome,
    errorType: a.errorType,
    errorMessage: a.errorMessage,
    steps: a.steps.map((s) => ({
      name: s.name,
      startMs: s.startMs,
      endMs: s.endMs,
      failed: s.statusCode === 2,
    })),
    events: [...a.events, ...a.checkpoints].map((m) => ({ name: m.name, timeMs: m.timeMs })),
    gaps: a.gaps.map((g) => ({ startMs: g.startMs, endMs: g.endMs, after: g.after, before: g.before })),
  };
}

function toLiveAttempt(live: LiveAttemptTimeline, now: number): TimelineAttempt {
  return {
    attempt: live.attempt,
    traceId: live.traceId,
    spanId: live.spanId,
    worker: live.worker,
    host: live.host,
    startMs: live.startedMs,
    steps: live.steps.map((s) => ({
      name: s.name,
      startMs: s.startMs,
      endMs: s.endMs,
      failed: s.statusCode === 2,
    })),
    events: [],
    gaps: [],
    hang: { sinceMs: now - live.silenceSeconds * 1000, step: live.currentStep },
  };
}

function toWorkerRow(w: ReturnType<AnalyzerView['workers']>[number]): WorkerRow {
  return {
    worker: w.worker,
    service: w.service,
    host: w.host,
    pid: w.pid,
    lastHeartbeatMs: w.lastHeartbeatMs,
    stoppedMs: w.stoppedMs,
    activeJobs: w.activeJobs,
    // The page shows one figure: the queue where this worker weighs most.
    shareOfWork: w.queues.length ? Math.max(...w.queues.map((q) => q.share)) : undefined,
    completedInWindow: w.completedInWindow,
    oldestActiveJob: w.oldestActiveJob && {
      jobId: w.oldestActiveJob.jobId,
      jobName: w.oldestActiveJob.jobName,
      queue: w.oldestActiveJob.queue,
      ageSeconds: w.oldestActiveJob.elapsedSeconds,
    },
  };
}
