import type { AnalyzerView, JobView, LiveJobView, WorkerView } from '../model/analyzer-view.js';
import type { Detector } from './detector.js';
import type { FindingDraft, Severity, TraceReference } from './finding-draft.js';
import { formatSeconds } from './format-seconds.js';
import { workerLastSign } from './worker-last-sign.js';

export interface StalledJobOptions {
  /** Two runs of one job on different workers that overlap at least this long ran at once. Default 2. */
  minOverlapSeconds: number;
  /** A worker is gone, and the job it held orphaned, after this long without a sign of life. Default 30. */
  goneAfterSeconds: number;
  /** ...or after this many of its heartbeat intervals, whichever is longer. Default 3. */
  goneAfterIntervals: number;
  /** Jobs with a record within this window are considered. Default 1800. */
  windowSeconds: number;
  /** At most this many findings. Default 50. */
  maxFindings: number;
}

/** One run of a job: a finished attempt span, or an attempt still running. */
interface Run {
  worker: string;
  host: string;
  startMs: number;
  /** Undefined while it runs. */
  endMs?: number;
  outcome: string;
  traceId: string;
  spanId: string;
}

interface JobIdentity {
  service: string;
  queue: string;
  jobName: string;
  jobId: string;
}

function jobKey(job: { service: string; queue: string; jobId: string }): string {
  return `${job.service}\u0000${job.queue}\u0000${job.jobId}`;
}

function clock(ms: number): string {
  return new Date(ms).toISOString().slice(11, 19);
}

function runPhrase(run: Run, now: number): string {
  const on = `${run.worker}${run.host ? ` on ${run.host}` : ''}`;
  const end =
    run.endMs === undefined
      ? `still running after ${formatSeconds((now - run.startMs) / 1000)}s`
      : `to ${clock(run.endMs)} (${run.outcome})`;
  return `${on} from ${clock(run.startMs)} ${end}`;
}

/**
 * Live attempts by job id. A big fleet runs tens of thousands at once and this runs every evaluation, so
 * it makes no key string and no array per attempt: only an id held by several live attempts (of any
 * service or queue) gets a list.
 */
class LiveIndex {
  private readonly first = new Map<string, LiveJobView>();
  private readonly more = new Map<string, LiveJobView[]>();

  add(held: LiveJobView): void {
    const earlier = this.first.get(held.jobId);
    if (earlier === undefined) {
      this.first.set(held.jobId, held);
      return;
    }
    const list = this.more.get(held.jobId);
    if (list === undefined) this.more.set(held.jobId, [earlier, held]);
    else list.push(held);
  }

  has(job: JobIdentity): boolean {
    if (this.more.has(job.jobId)) return this.of(job).length > 0;
    const one = this.first.get(job.jobId);
    return one !== undefined && sameJob(one, job);
  }

  /** The live attempts of this job. */
  of(job: JobIdentity): LiveJobView[] {
    const list = this.more.get(job.jobId);
    if (list !== undefined) return list.filter((held) => sameJob(held, job));
    const one = this.first.get(job.jobId);
    return one !== undefined && sameJob(one, job) ? [one] : [];
  }

  /** The live attempts whose id another live attempt holds too. */
  *sharedIds(): Iterable<LiveJobView> {
    for (const list of this.more.values()) yield* list;
  }
}

function sameJob(a: JobIdentity, b: JobIdentity): boolean {
  return a.jobId === b.jobId && a.queue === b.queue && a.service === b.service;
}

/** BullMQ's `stalled` record is an instant (the SDK writes it when the stall is seen), not a run. */
function isStallMarker(run: Run): boolean {
  return run.outcome === 'stalled' && run.endMs !== undefined && run.endMs - run.startMs < 1;
}

/** The first pair of runs on different workers that overlap for at least `minOverlapMs`. */
function overlappingPair(runs: readonly Run[], now: number, minOverlapMs: number): [Run, Run] | undefined {
  for (let i = 0; i < runs.length; i++) {
    for (let j = i + 1; j < runs.length; j++) {
      const [a, b] = [runs[i], runs[j]];
      if (a.worker === b.worker) continue;
      const overlap = Math.min(a.endMs ?? now, b.endMs ?? now) - Math.max(a.startMs, b.startMs);
      if (overlap >= minOverlapMs) return a.startMs <= b.startMs ? [a, b] : [b, a];
    }
  }
  return undefined;
}

function traces(runs: readonly Run[], labels: readonly string[]): TraceReference[] {
  return runs.map((run, i) => ({ traceId: run.traceId, spanId: run.spanId, label: labels[i] }));
}

function doubleRunFinding(
  job: JobIdentity,
  first: Run,
  second: Run,
  stall: Run | undefined,
  now: number,
): FindingDraft {
  const overlapSeconds = (Math.min(first.endMs ?? now, second.endMs ?? now) - second.startMs) / 1000;
  // Both runs completing means the job's effects (a charge, an e-mail) happened twice.
  const severity: Severity =
    first.outcome === 'completed' && second.outcome === 'completed' ? 'critical' : 'warning';
  const stallPhrase = stall ? `; BullMQ saw it stalled at ${clock(stall.startMs)} (its lock expired)` : '';
  return {
    type: 'stalled_job',
    key: `double|${job.service}|${job.queue}|${job.jobId}`,
    severity,
    subject: { ...job, worker: first.worker, host: first.host || undefined },
    summary:
      `${job.jobName} #${job.jobId} on ${job.queue} (${job.service}) ran twice at once for ${formatSeconds(overlapSeconds)}s: ` +
      `${runPhrase(first, now)}, and ${runPhrase(second, now)}${stallPhrase}`,
    nextStep:
      `The first run lost its lock while it still ran: it held the event loop (CPU-bound work starves lock renewal) ` +
      `or paused past the lock duration. Move CPU-bound work off the main thread (a sandboxed processor or a ` +
      `worker thread), raise lockDuration, and make ${job.jobName} idempotent.`,
    evidence: {
      figures: {
        overlapSeconds: formatSeconds(overlapSeconds),
        firstWorker: first.worker,
        firstHost: first.host,
        firstStartedAt: new Date(first.startMs).toISOString(),
        firstOutcome: first.endMs === undefined ? 'running' : first.outcome,
        secondWorker: second.worker,
        secondHost: second.host,
        secondStartedAt: new Date(second.startMs).toISOString(),
        secondOutcome: second.endMs === undefined ? 'running' : second.outcome,
        stalledAt: stall ? new Date(stall.startMs).toISOString() : '',
      },
      traces: traces([first, second], ['the first run', 'the second run, at the same time']),
    },
    since: second.startMs,
  };
}

function orphanFinding(
  job: JobIdentity,
  held: LiveJobView,
  worker: WorkerView,
  lastSign: number,
  rerun: Run | undefined,
  now: number,
): FindingDraft {
  const silentSeconds = (now - lastSign) / 1000;
  const on = `${worker.worker}${worker.host ? ` on ${worker.host}` : ''}`;
  const step = held.currentStep ? ` in step ${held.currentStep}` : '';
  const after = rerun
    ? `; it ran again on ${rerun.worker}${rerun.host ? ` on ${rerun.host}` : ''} at ${clock(rerun.startMs)}`
    : '; no other worker has picked it up yet';
  return {
    type: 'stalled_job',
    key: `orphan|${job.service}|${job.queue}|${job.jobId}`,
    severity: rerun ? 'warning' : 'critical',
    subject: { ...job, worker: worker.worker, host: worker.host || undefined, pid: worker.pid },
    summary:
      `${job.jobName} #${job.jobId} on ${job.queue} (${job.service}) was orphaned: its worker ${on} went silent at ` +
      `${clock(lastSign)}, ${formatSeconds((lastSign - held.startedMs) / 1000)}s into the attempt${step}, ` +
      `and never ended it${after}`,
    nextStep:
      `Find why ${worker.worker} died mid-job (OOM kill, SIGKILL, a crash: the host's kernel log and the ` +
      `orchestrator's events). ${rerun ? 'Its retry ran; check that the partial first run left nothing half-done.' : 'Check that the queue retries stalled jobs (BullMQ: stalled checks and maxStalledCount).'}`,
    evidence: {
      figures: {
        worker: worker.worker,
        host: worker.host,
        pid: worker.pid ?? '',
        attemptStartedAt: new Date(held.startedMs).toISOString(),
        workerLastSeenAt: new Date(lastSign).toISOString(),
        workerSilentSeconds: formatSeconds(silentSeconds),
        currentStep: held.currentStep ?? '',
        rerunWorker: rerun?.worker ?? '',
        rerunStartedAt: rerun ? new Date(rerun.startMs).toISOString() : '',
      },
      traces: [
        { traceId: held.traceId, spanId: held.spanId, label: 'the orphaned attempt' },
        ...(rerun ? traces([rerun], ['the run after it']) : []),
      ],
    },
    since: lastSign,
  };
}

function stallFinding(job: JobIdentity, stall: Run): FindingDraft {
  return {
    type: 'stalled_job',
    key: `stall|${job.service}|${job.queue}|${job.jobId}`,
    severity: 'warning',
    subject: { ...job, worker: stall.worker, host: stall.host || undefined },
    summary:
      `${job.jobName} #${job.jobId} on ${job.queue} (${job.service}) stalled at ${clock(stall.startMs)}: its lock ` +
      `expired before the run that held it finished (seen by ${stall.worker})`,
    nextStep:
      'A lock expires when the worker holding it dies or blocks its event loop past the lock duration; look for an ' +
      'event_loop_blocked or silent_worker finding at that time, and keep CPU-bound work off the main thread.',
    evidence: {
      figures: { stalledAt: new Date(stall.startMs).toISOString(), seenBy: stall.worker },
      traces: traces([stall], ['the stall BullMQ reported']),
    },
    since: stall.startMs,
  };
}

/** A worker has gone silent: not stopped, and no sign of life for longer than its threshold. */
function goneWorker(
  worker: WorkerView | undefined,
  now: number,
  options: Readonly<StalledJobOptions>,
): boolean {
  if (worker === undefined || worker.stoppedMs !== undefined) return false;
  const goneAfterMs = Math.max(
    options.goneAfterSeconds * 1000,
    options.goneAfterIntervals * (worker.heartbeatIntervalMs ?? 0),
  );
  return now - workerLastSign(worker) >= goneAfterMs;
}

function finishedRuns(view: AnalyzerView, job: JobView, now: number): Run[] {
  const timeline = view.jobTimeline({ service: job.service, queue: job.queue, jobId: job.jobId }, now);
  if (timeline === undefined) return [];
  return timeline.attempts.map((attempt) => ({
    worker: attempt.worker,
    host: attempt.host,
    startMs: attempt.startMs,
    endMs: attempt.endMs,
    outcome: attempt.outcome,
    traceId: attempt.traceId,
    spanId: attempt.spanId,
  }));
}

/**
 * `stalled_job`: a job whose lock was lost. It ran twice at once on different workers (BullMQ's stalled
 * check handed it to another worker while the first still ran), it was orphaned by a worker that died
 * mid-attempt, or BullMQ reported it stalled with neither run in view.
 */
export const stalledJobDetector: Detector<StalledJobOptions> = {
  type: 'stalled_job',
  defaults: {
    minOverlapSeconds: 2,
    goneAfterSeconds: 30,
    goneAfterIntervals: 3,
    windowSeconds: 1800,
    maxFindings: 50,
  },
  evaluate(view: AnalyzerView, now: number, options: Readonly<StalledJobOptions>): FindingDraft[] {
    const drafts: FindingDraft[] = [];
    const workers = new Map<string, WorkerView>();
    for (const worker of view.workerStates()) workers.set(worker.worker, worker);
    const live = new LiveIndex();
    const orphaned: LiveJobView[] = [];
    for (const held of view.liveJobs()) {
      live.add(held);
      if (goneWorker(workers.get(held.worker), now, options)) orphaned.push(held);
    }
    const seen = new Set<string>();
    // Past `maxFindings` nothing more is built: a worker that died holding 100k jobs made 100k drafts
    // (190 MB of strings, half a second) of which 50 were kept. The first ones are the same either way.
    const full = () => drafts.length >= options.maxFindings;
    const consider = (identity: JobIdentity, finished: Run[]) => {
      if (full()) return;
      const key = jobKey(identity);
      if (seen.has(key)) return;
      seen.add(key);
      const held = live.of(identity);
      const stall = finished.find(isStallMarker);
      const runs: Run[] = finished.filter((run) => !isStallMarker(run));
      for (const run of held) {
        if (runs.some((known) => known.spanId === run.spanId && known.traceId === run.traceId)) continue;
        const worker = workers.get(run.worker);
        // A run on a worker that died ended when the worker did, whatever its span never said.
        if (goneWorker(worker, now, options)) {
          runs.push({
            worker: run.worker,
            host: run.host,
            startMs: run.startedMs,
            endMs: workerLastSign(worker!),
            outcome: 'orphaned',
            traceId: run.traceId,
            spanId: run.spanId,
          });
          continue;
        }
        runs.push({
          worker: run.worker,
          host: run.host,
          startMs: run.startedMs,
          outcome: 'running',
          traceId: run.traceId,
          spanId: run.spanId,
        });
      }
      const pair = overlappingPair(runs, now, options.minOverlapSeconds * 1000);
      if (pair) {
        drafts.push(doubleRunFinding(identity, pair[0], pair[1], stall, now));
        return;
      }
      for (const run of held) {
        const worker = workers.get(run.worker);
        if (!goneWorker(worker, now, options)) continue;
        const lastSign = workerLastSign(worker!);
        const rerun = runs.find((other) => other.worker !== run.worker && other.startMs >= run.startedMs);
        drafts.push(orphanFinding(identity, run, worker!, lastSign, rerun, now));
        return;
      }
      if (stall) drafts.push(stallFinding(identity, stall));
    };
    for (const job of view.jobs(now - options.windowSeconds * 1000)) {
      if (full()) break;
      // One attempt seen and none running: nothing ran twice. (A stalled run is often counted under the same
      // attempt number as the run it interrupted, so a running attempt beside a finished one is looked at too.)
      if (job.attemptsSeen < 2 && job.lastOutcome !== 'stalled' && !live.has(job)) continue;
      consider(job, finishedRuns(view, job, now));
    }
    // Jobs running twice at once with no finished attempt yet, and jobs whose worker died mid-attempt.
    for (const held of live.sharedIds()) consider(held, []);
    for (const held of orphaned) {
      if (full()) break;
      consider(held, []);
    }
    return drafts.slice(0, options.maxFindings);
  },
};
