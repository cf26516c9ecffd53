import type { AnalyzerView, AttemptView, WorkerView } from '../model/analyzer-view.js';
import type { Detector } from './detector.js';
import type { FindingDraft, TraceReference } from './finding-draft.js';
import { formatSeconds } from './format-seconds.js';
import { oldestReadyAgeSeconds, readyJobs } from './ready-jobs.js';
import { workerLastSign } from './worker-last-sign.js';

export interface QueueStarvationOptions {
  /** Ready jobs waiting at least this long while workers sit idle is starvation. Default 60. */
  oldestReadyThresholdSeconds: number;
  /** A worker is idle when it holds no job and started none on the queue for this long. Default 30. */
  idleSeconds: number;
  /** A worker with no sign of life for this long does not count as one of the queue's workers. Default 60. */
  aliveWithinSeconds: number;
  /** Queue gauges older than this are ignored. Default 120. */
  staleMetricSeconds: number;
  /** The finding points at the queue's last processed attempt if it ended within this window. Default 900. */
  lastAttemptWindowSeconds: number;
}

/**
 * `queue_starvation`: ready jobs wait past a threshold while the queue's workers hold no job (or no worker
 * of the queue is alive): the work is there, nobody takes it.
 */
export const queueStarvationDetector: Detector<QueueStarvationOptions> = {
  type: 'queue_starvation',
  defaults: {
    oldestReadyThresholdSeconds: 60,
    idleSeconds: 30,
    aliveWithinSeconds: 60,
    staleMetricSeconds: 120,
    lastAttemptWindowSeconds: 900,
  },
  evaluate(view: AnalyzerView, now: number, options: Readonly<QueueStarvationOptions>): FindingDraft[] {
    const freshSinceMs = now - options.staleMetricSeconds * 1000;
    const aliveSinceMs = now - options.aliveWithinSeconds * 1000;
    // A stopped worker is neither a consumer of the queue nor an idle one.
    const workers = [...view.workerStates()].filter(
      (worker) => worker.stoppedMs === undefined && workerLastSign(worker) >= aliveSinceMs,
    );
    const drafts: FindingDraft[] = [];
    // Built on the first starving queue only: a scan of the finished attempts is not free.
    let newest: Map<string, AttemptView> | undefined;
    const lastProcessed = (service: string, queue: string): TraceReference[] => {
      if (newest === undefined) {
        newest = new Map();
        for (const attempt of view.finishedAttempts(now - options.lastAttemptWindowSeconds * 1000)) {
          const key = `${attempt.facts.service}\u0000${attempt.facts.queue}`;
          const current = newest.get(key);
          if (current === undefined || attempt.facts.endMs > current.facts.endMs) newest.set(key, attempt);
        }
      }
      const attempt = newest.get(`${service}\u0000${queue}`);
      if (attempt === undefined) return [];
      return [
        { traceId: attempt.facts.traceId, spanId: attempt.facts.spanId, label: 'the last attempt processed' },
      ];
    };
    for (const queue of view.queueStates()) {
      const age = oldestReadyAgeSeconds(queue, freshSinceMs);
      if (age === undefined || age < options.oldestReadyThresholdSeconds) continue;
      const serving = workers.filter(
        (worker) => worker.service === queue.service && worker.queues.has(queue.queue),
      );
      const busy = (worker: WorkerView) =>
        worker.activeJobs > 0 ||
        (worker.reportedActiveJobs ?? 0) > 0 ||
        (worker.lastAttemptEndMs ?? Number.NEGATIVE_INFINITY) >= now - options.idleSeconds * 1000 ||
        view.workerQueueStats(worker.worker, queue.queue, now - options.idleSeconds * 1000).attemptsStarted >
          0;
      if (serving.some(busy)) continue;
      const ready = readyJobs(queue, freshSinceMs);
      const who =
        serving.length === 0
          ? 'no live worker consumes it'
          : `its ${serving.length} worker(s) sit idle (${serving
              .map((worker) => worker.worker)
              .slice(0, 5)
              .join(', ')})`;
      drafts.push({
        type: 'queue_starvation',
        key: `${queue.service}|${queue.queue}`,
        severity:
          serving.length === 0 || age >= options.oldestReadyThresholdSeconds * 5 ? 'critical' : 'warning',
        subject: { service: queue.service, queue: queue.queue },
        summary:
          `${queue.queue} (${queue.service}) has ${ready === undefined ? '' : `${ready} `}ready jobs, the oldest ` +
          `waiting ${formatSeconds(age)}s, while ${who}`,
        nextStep:
          serving.length === 0
            ? `Start or scale up the workers of ${queue.queue} and check they listen to this exact queue name and broker.`
            : `Check that the idle workers consume ${queue.queue} (queue name, prefix, connection) and are not paused, ` +
              'rate-limited or blocked on a global concurrency limit.',
        evidence: {
          figures: {
            oldestReadyAgeSeconds: formatSeconds(age),
            ...(ready === undefined ? {} : { readyJobs: ready }),
            idleWorkers: serving.length,
            thresholdSeconds: options.oldestReadyThresholdSeconds,
          },
          traces: lastProcessed(queue.service, queue.queue),
          detail: { workers: serving.map((worker) => worker.worker) },
        },
        since: now - age * 1000,
      });
    }
    return drafts;
  },
};
