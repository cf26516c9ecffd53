import type { AnalyzerView, LiveJobView, QueueView, WorkerView } from '../model/analyzer-view.js';
import {
  type ConsumerEvidence,
  consumerEvidence,
  listJobIds,
  MAX_LISTED_JOB_IDS,
} from './consumer-evidence.js';
import type { Detector } from './detector.js';
import { dumpInstruction } from './dump-instruction.js';
import type { FindingDraft, TraceReference } from './finding-draft.js';
import { formatSeconds } from './format-seconds.js';
import { oldestReadyAgeSeconds, readyJobs } from './ready-jobs.js';
import { workerLastSign } from './worker-last-sign.js';

export interface SilentWorkerOptions {
  /** A worker is gone after this many of its typical heartbeat intervals without a sign of life... Default 3. */
  goneAfterIntervals: number;
  /** ...but never sooner than this. Default 30. */
  minGoneAfterSeconds: number;
  /** A gone worker stops being reported after this long (it was scaled down or replaced). Default 900. */
  forgetAfterSeconds: number;
  /** A live worker that completed nothing for this long while its queue has ready jobs is stuck. Default 60. */
  stuckAfterSeconds: number;
  /** Ready jobs needed for a worker to count as stuck. Default 1. */
  minReadyJobs: number;
  /** Queue gauges older than this are ignored. Default 120. */
  staleMetricSeconds: number;
}

/**
 * A new instance of the same service on the same host that started around the old one's end. One that
 * has itself stopped replaces nothing: a cron run ending just after a worker died must not hide it.
 */
function replacement(
  worker: WorkerView,
  all: readonly WorkerView[],
  lastSign: number,
): WorkerView | undefined {
  return all.find(
    (other) =>
      other !== worker &&
      other.stoppedMs === undefined &&
      other.service === worker.service &&
      other.host === worker.host &&
      worker.host !== '' &&
      other.firstSeenMs >= worker.firstSeenMs &&
      workerLastSign(other) > lastSign,
  );
}

/** The ids of the jobs a worker holds (at most {@link MAX_LISTED_JOB_IDS}), and how many it holds. */
type HeldJobs = { oldest: LiveJobView; ids: string[]; total: number };

/** What the worker's consumer and jobs say: figures and detail added to a finding's evidence. */
function doingEvidence(
  consumer: ConsumerEvidence | undefined,
  held: HeldJobs | undefined,
): { figures: Record<string, string | number>; detail: Record<string, unknown> } {
  return {
    figures: {
      ...(consumer?.figures ?? {}),
      ...(held === undefined ? {} : { activeJobIds: listJobIds(held.ids, held.total) }),
    },
    detail: {
      ...(consumer === undefined ? {} : { consumer: consumer.detail }),
      ...(held === undefined ? {} : { activeJobIds: held.ids }),
    },
  };
}

function heldJobTraces(job: LiveJobView | undefined): TraceReference[] {
  if (job === undefined) return [];
  return [
    { traceId: job.traceId, spanId: job.spanId, label: `${job.jobName} #${job.jobId}, held by the worker` },
  ];
}

function goneFinding(
  worker: WorkerView,
  silenceSeconds: number,
  goneAfterSeconds: number,
  lastSign: number,
  heldJobs: HeldJobs | undefined,
  peersAlive: number,
  consumer: ConsumerEvidence | undefined,
): FindingDraft {
  const where = worker.host ? ` on ${worker.host}` : '';
  const held = heldJobs?.oldest;
  const doing = doingEvidence(consumer, heldJobs);
  // Holding jobs, it took them down with it; with no job and live peers, it was most likely scaled
  // down or replaced (a new pod name), which is worth a note, not a page.
  const severity = worker.activeJobs > 0 ? 'critical' : peersAlive > 0 ? 'info' : 'warning';
  return {
    type: 'silent_worker',
    key: `gone|${worker.worker}`,
    severity,
    subject: { service: worker.service, worker: worker.worker, host: worker.host || undefined },
    summary:
      `Worker ${worker.worker} (${worker.service})${where} has sent no heartbeat for ${formatSeconds(silenceSeconds)}s` +
      (worker.activeJobs > 0 ? ` with ${worker.activeJobs} job(s) running` : '') +
      (consumer?.note === undefined ? '' : `; last it said ${consumer.note}`),
    nextStep:
      `Check whether the process on ${worker.host || 'its host'} still runs (OOM kill, crash, frozen event loop) ` +
      'and whether its jobs were picked up again; look at its last dump and logs.',
    evidence: {
      figures: {
        heartbeatAgeSeconds: formatSeconds(silenceSeconds),
        goneAfterSeconds: formatSeconds(goneAfterSeconds),
        heartbeatIntervalSeconds: formatSeconds((worker.heartbeatIntervalMs ?? 0) / 1000),
        activeJobs: worker.activeJobs,
        peersAlive,
        ...doing.figures,
      },
      traces: heldJobTraces(held),
      detail: { state: 'gone', lastSignMs: lastSign, ...doing.detail },
    },
    since: lastSign,
  };
}

function stuckFinding(
  worker: WorkerView,
  queue: QueueView,
  ready: number | undefined,
  oldestReadyAge: number | undefined,
  idleSeconds: number,
  sinceMs: number,
  heldJobs: HeldJobs | undefined,
  consumer: ConsumerEvidence | undefined,
): FindingDraft {
  const where = worker.host ? ` on ${worker.host}` : '';
  const held = heldJobs?.oldest;
  const doing = doingEvidence(consumer, heldJobs);
  return {
    type: 'silent_worker',
    key: `stuck|${worker.worker}`,
    severity: 'critical',
    subject: {
      service: worker.service,
      queue: queue.queue,
      worker: worker.worker,
      host: worker.host || undefined,
    },
    summary:
      `Worker ${worker.worker} (${worker.service})${where} is alive but completed nothing for ` +
      `${formatSeconds(idleSeconds)}s while ${queue.queue} has ${ready === undefined ? '' : `${ready} `}ready jobs` +
      (consumer?.note === undefined ? '' : `; ${consumer.note}`),
    nextStep:
      (consumer?.note === undefined
        ? ''
        : `The worker reports that ${consumer.note}: resume it or restore its broker connection. `) +
      `${dumpInstruction(worker.worker, worker.host || undefined, worker.pid)} to see what its ` +
      `${worker.activeJobs} active job(s) wait on; if it holds none, its consumer stopped fetching ` +
      '(lost broker connection, paused worker).',
    evidence: {
      figures: {
        secondsSinceLastCompletion: formatSeconds(idleSeconds),
        ...(ready === undefined ? {} : { readyJobs: ready }),
        ...(oldestReadyAge === undefined ? {} : { oldestReadyAgeSeconds: formatSeconds(oldestReadyAge) }),
        activeJobs: worker.activeJobs,
        heartbeatIntervalSeconds: formatSeconds((worker.heartbeatIntervalMs ?? 0) / 1000),
        ...doing.figures,
      },
      traces: heldJobTraces(held),
      detail: { state: 'stuck', lastCompletionMs: worker.lastCompletionMs, ...doing.detail },
    },
    since: sinceMs,
  };
}

/**
 * `silent_worker`: a worker whose heartbeats stopped (gone), or whose heartbeats go on while it completes
 * nothing although its queue has ready jobs (stuck). Only workers that send heartbeats and have not
 * announced a stop (`joblens.worker.stopped`) are judged.
 */
export const silentWorkerDetector: Detector<SilentWorkerOptions> = {
  type: 'silent_worker',
  defaults: {
    goneAfterIntervals: 3,
    minGoneAfterSeconds: 30,
    forgetAfterSeconds: 900,
    stuckAfterSeconds: 60,
    minReadyJobs: 1,
    staleMetricSeconds: 120,
  },
  evaluate(view: AnalyzerView, now: number, options: Readonly<SilentWorkerOptions>): FindingDraft[] {
    const workers = [...view.workerStates()];
    const queues = new Map<string, QueueView>();
    for (const queue of view.queueStates()) queues.set(`${queue.service}\u0000${queue.queue}`, queue);
    const freshSinceMs = now - options.staleMetricSeconds * 1000;
    const held = new Map<string, HeldJobs>();
    for (const job of view.liveJobs()) {
      const current = held.get(job.worker);
      if (current === undefined) {
        held.set(job.worker, { oldest: job, ids: [job.jobId], total: 1 });
        continue;
      }
      if (job.startedMs < current.oldest.startedMs) current.oldest = job;
      if (current.ids.length < MAX_LISTED_JOB_IDS) current.ids.push(job.jobId);
      current.total += 1;
    }
    const drafts: FindingDraft[] = [];
    for (const worker of workers) {
      // A worker that announced its stop is expected to fall silent: neither gone nor stuck.
      if (worker.lastHeartbeatMs === undefined || worker.stoppedMs !== undefined) continue;
      const lastSign = workerLastSign(worker);
      const silenceSeconds = (now - lastSign) / 1000;
      const goneAfterSeconds = Math.max(
        options.minGoneAfterSeconds,
        (options.goneAfterIntervals * (worker.heartbeatIntervalMs ?? 0)) / 1000,
      );
      if (silenceSeconds >= goneAfterSeconds) {
        if (
          silenceSeconds < options.forgetAfterSeconds &&
          replacement(worker, workers, lastSign) === undefined
        ) {
          const peersAlive = workers.filter(
            (other) =>
              other.service === worker.service &&
              other.stoppedMs === undefined &&
              (now - workerLastSign(other)) / 1000 < goneAfterSeconds,
          ).length;
          drafts.push(
            goneFinding(
              worker,
              silenceSeconds,
              goneAfterSeconds,
              lastSign,
              held.get(worker.worker),
              peersAlive,
              consumerEvidence(worker, undefined, now),
            ),
          );
        }
        continue;
      }
      const lastProgress = worker.lastCompletionMs ?? worker.firstSeenMs;
      const idleSeconds = (now - lastProgress) / 1000;
      if (idleSeconds < options.stuckAfterSeconds) continue;
      for (const queueName of worker.queues) {
        const queue = queues.get(`${worker.service}\u0000${queueName}`);
        if (queue === undefined) continue;
        const ready = readyJobs(queue, freshSinceMs);
        const age = oldestReadyAgeSeconds(queue, freshSinceMs);
        const hasReady =
          (ready !== undefined && ready >= options.minReadyJobs) || (ready === undefined && (age ?? 0) > 0);
        if (!hasReady) continue;
        // Idle with nothing to do is not stuck: count only the time work has been waiting, so a worker
        // that started early on an empty queue is not reported the moment the first jobs arrive.
        const waitingSeconds = age === undefined ? idleSeconds : Math.min(idleSeconds, age);
        if (waitingSeconds < options.stuckAfterSeconds) continue;
        drafts.push(
          stuckFinding(
            worker,
            queue,
            ready,
            age,
            idleSeconds,
            now - waitingSeconds * 1000,
            held.get(worker.worker),
            consumerEvidence(worker, queue.queue, now),
          ),
        );
        break;
      }
    }
    return drafts;
  },
};
