import type { AnalyzerView, AttemptView, QueueView, WorkerView } from '../model/analyzer-view.js';
import type { Detector } from './detector.js';
import type { FindingDraft } from './finding-draft.js';
import { formatSeconds } from './format-seconds.js';
import { median } from './median.js';
import { oldestReadyAgeSeconds, readyJobs, typicalOldestReadyAgeSeconds } from './ready-jobs.js';
import { SlowHostSamples } from './slow-host-findings.js';
import { workerLastSign } from './worker-last-sign.js';

export interface HostImbalanceOptions {
  /** Work shares and durations are measured over this window. Default 300. */
  windowSeconds: number;
  /** Shares are compared only among at least this many live workers (or hosts) of a queue. Default 3. */
  minWorkers: number;
  /** ...and only once the queue saw at least this many attempts in the window. Default 30. */
  minAttempts: number;
  /** A worker taking at least this many times its fair share (1 / workers) is hot. Default 2. */
  hotShareFactor: number;
  /** A worker taking at most this fraction of its fair share is starved. Default 0.5. */
  starvedShareFactor: number;
  /** Work counts as waiting when the oldest ready job is at least this old... Default 5. */
  waitingAgeSeconds: number;
  /** ...or when at least this many jobs are ready (used when no age gauge comes)... Default 10. */
  minReadyJobs: number;
  /** ...or when the median queue wait of the window's attempts is at least this. Default 5. */
  queueWaitSeconds: number;
  /** Queue gauges older than this are ignored. Default 120. */
  staleMetricSeconds: number;
  /** A host whose median duration of a job name is this many times its peers' is slow. Default 2. */
  slowFactor: number;
  /** ...with at least this many completed attempts on the host and on its peers. Default 10. */
  minSamplesPerHost: number;
  /** At most this many findings. Default 50. */
  maxFindings: number;
}

/** A queue's attempts in the window: the newest per worker and per host, and their queue waits. */
interface QueueAttempts {
  latestByWorker: Map<string, AttemptView>;
  latestByHost: Map<string, AttemptView>;
  waits: number[];
}

interface Unit {
  id: string;
  host: string;
  attempts: number;
  busySeconds: number;
}

function shareList(units: Unit[], total: number, pick: (unit: Unit) => number): string {
  return units
    .filter((unit) => pick(unit) > 0 || total === 0)
    .map((unit) => `${unit.id} ${Math.round((pick(unit) / Math.max(total, 1e-9)) * 100)}%`)
    .join(', ');
}

function shareFinding(
  service: string,
  queue: string,
  level: 'worker' | 'host',
  units: Unit[],
  waitingWhy: string,
  options: Readonly<HostImbalanceOptions>,
  sinceMs: number,
  latestAttemptOf: (unitId: string) => AttemptView | undefined,
): FindingDraft | undefined {
  const totalAttempts = units.reduce((sum, unit) => sum + unit.attempts, 0);
  const totalBusy = units.reduce((sum, unit) => sum + unit.busySeconds, 0);
  if (totalAttempts < options.minAttempts) return undefined;
  const fair = 1 / units.length;
  const share = (unit: Unit) =>
    Math.max(unit.attempts / totalAttempts, totalBusy > 0 ? unit.busySeconds / totalBusy : 0);
  const hot = units.filter((unit) => share(unit) >= options.hotShareFactor * fair);
  if (hot.length === 0) return undefined;
  const starved = units.filter((unit) => unit.attempts / totalAttempts <= options.starvedShareFactor * fair);
  hot.sort((a, b) => share(b) - share(a));
  const top = hot[0];
  const topShare = share(top);
  return {
    type: 'host_imbalance',
    key: `share|${level}|${service}|${queue}`,
    severity: topShare >= 0.9 ? 'critical' : 'warning',
    subject: { service, queue, worker: level === 'worker' ? top.id : undefined, host: top.host || undefined },
    summary:
      `${level} ${top.id} takes ${Math.round(topShare * 100)}% of ${queue} (${service}) work among ${units.length} ` +
      `${level}s while ${waitingWhy}` +
      (starved.length > 0 ? `; starved: ${starved.map((unit) => unit.id).join(', ')}` : ''),
    nextStep:
      `Compare the ${level}s' concurrency and their connection to the broker: a starved ${level} usually has a ` +
      'lower concurrency, a paused or misconfigured consumer, or a slow link; the hot one may be prefetching.',
    evidence: {
      figures: {
        topShare: Math.round(topShare * 1000) / 1000,
        fairShare: Math.round(fair * 1000) / 1000,
        units: units.length,
        attempts: totalAttempts,
        busySeconds: formatSeconds(totalBusy),
        windowSeconds: options.windowSeconds,
      },
      traces: hot.flatMap((unit) => {
        const attempt = latestAttemptOf(unit.id);
        return attempt === undefined
          ? []
          : [
              {
                traceId: attempt.facts.traceId,
                spanId: attempt.facts.spanId,
                label: `latest attempt on ${unit.id}`,
              },
            ];
      }),
      detail: {
        level,
        hot: hot.map((unit) => unit.id),
        starved: starved.map((unit) => unit.id),
        attemptShares: shareList(units, totalAttempts, (unit) => unit.attempts),
        busyShares: shareList(units, totalBusy, (unit) => unit.busySeconds),
      },
    },
    since: sinceMs,
  };
}

/**
 * `host_imbalance`: while work waits, one worker (or host) takes far more than its fair share of a queue's
 * attempts or busy time, and who is starved; or one host runs a job name markedly slower than its peers.
 */
export const hostImbalanceDetector: Detector<HostImbalanceOptions> = {
  type: 'host_imbalance',
  defaults: {
    windowSeconds: 300,
    minWorkers: 3,
    minAttempts: 30,
    hotShareFactor: 2,
    starvedShareFactor: 0.5,
    waitingAgeSeconds: 5,
    minReadyJobs: 10,
    queueWaitSeconds: 5,
    staleMetricSeconds: 120,
    slowFactor: 2,
    minSamplesPerHost: 10,
    maxFindings: 50,
  },
  evaluate(view: AnalyzerView, now: number, options: Readonly<HostImbalanceOptions>): FindingDraft[] {
    const sinceMs = now - options.windowSeconds * 1000;
    const freshSinceMs = now - options.staleMetricSeconds * 1000;
    // One pass over the window, keyed by nested maps of the (interned) names rather than by a key string
    // per attempt: this loop is most of what the detector costs over a window of tens of thousands.
    const perQueue = new Map<string, Map<string, QueueAttempts>>();
    const slowHosts = new SlowHostSamples();
    for (const attempt of view.finishedAttempts(sinceMs)) {
      slowHosts.add(attempt);
      const { worker, host, service, queue, endMs, queueWaitSeconds } = attempt.facts;
      let byQueue = perQueue.get(service);
      if (byQueue === undefined) {
        byQueue = new Map();
        perQueue.set(service, byQueue);
      }
      let entry = byQueue.get(queue);
      if (entry === undefined) {
        entry = { latestByWorker: new Map(), latestByHost: new Map(), waits: [] };
        byQueue.set(queue, entry);
      }
      const byWorker = entry.latestByWorker.get(worker);
      if (byWorker === undefined || endMs > byWorker.facts.endMs) entry.latestByWorker.set(worker, attempt);
      const byHost = entry.latestByHost.get(host);
      if (byHost === undefined || endMs > byHost.facts.endMs) entry.latestByHost.set(host, attempt);
      if (queueWaitSeconds !== undefined) entry.waits.push(queueWaitSeconds);
    }
    const workersByQueue = new Map<string, WorkerView[]>();
    for (const worker of view.workerStates()) {
      // Shares are compared among live workers: after a deploy or a scale-down, the stopped ones' earlier
      // work would otherwise count as that of extra workers, each far below a fair share.
      if (workerLastSign(worker) < sinceMs || worker.stoppedMs !== undefined) continue;
      for (const queue of worker.queues) {
        const key = `${worker.service}\u0000${queue}`;
        const list = workersByQueue.get(key);
        if (list === undefined) workersByQueue.set(key, [worker]);
        else list.push(worker);
      }
    }
    const queueViews = new Map<string, QueueView>();
    for (const queue of view.queueStates()) queueViews.set(`${queue.service}\u0000${queue.queue}`, queue);
    const drafts: FindingDraft[] = [];
    for (const [key, workers] of workersByQueue) {
      if (workers.length < options.minWorkers) continue;
      const [service, queue] = key.split('\u0000');
      const queueView = queueViews.get(key);
      // The newest reading, or what the readings of the window typically say when that is more: one poll
      // that happens to find the backlog drained must not end an imbalance that holds the whole window.
      const newestAge = queueView ? oldestReadyAgeSeconds(queueView, freshSinceMs) : undefined;
      const typicalAge = queueView
        ? typicalOldestReadyAgeSeconds(queueView, Math.max(sinceMs, freshSinceMs))
        : undefined;
      const age =
        newestAge === undefined ? undefined : Math.max(newestAge, typicalAge ?? Number.NEGATIVE_INFINITY);
      const ready = queueView ? readyJobs(queueView, freshSinceMs) : undefined;
      const attempts = perQueue.get(service)?.get(queue);
      const waits = attempts?.waits;
      const medianWait = waits === undefined || waits.length === 0 ? undefined : median(waits);
      let waitingWhy: string | undefined;
      if (age !== undefined && age >= options.waitingAgeSeconds)
        waitingWhy = `the oldest ready job waits ${formatSeconds(age)}s`;
      else if (age === undefined && ready !== undefined && ready >= options.minReadyJobs)
        waitingWhy = `${ready} jobs wait`;
      else if (medianWait !== undefined && medianWait >= options.queueWaitSeconds)
        waitingWhy = `jobs wait ${formatSeconds(medianWait)}s (median) to start`;
      if (waitingWhy === undefined) continue;
      const units: Unit[] = workers.map((worker) => {
        const stats = view.workerQueueStats(worker.worker, queue, sinceMs);
        return {
          id: worker.worker,
          host: worker.host,
          attempts: stats.attemptsStarted,
          busySeconds: stats.busySeconds,
        };
      });
      const latestOf = (level: 'worker' | 'host') => (id: string) =>
        (level === 'worker' ? attempts?.latestByWorker : attempts?.latestByHost)?.get(id);
      const byWorker = shareFinding(
        service,
        queue,
        'worker',
        units,
        waitingWhy,
        options,
        sinceMs,
        latestOf('worker'),
      );
      if (byWorker !== undefined) drafts.push(byWorker);
      const hosts = new Map<string, Unit>();
      for (const unit of units) {
        const host = hosts.get(unit.host) ?? { id: unit.host, host: unit.host, attempts: 0, busySeconds: 0 };
        host.attempts += unit.attempts;
        host.busySeconds += unit.busySeconds;
        hosts.set(unit.host, host);
      }
      if (hosts.size >= options.minWorkers && hosts.size < units.length && !hosts.has('')) {
        const byHost = shareFinding(
          service,
          queue,
          'host',
          [...hosts.values()],
          waitingWhy,
          options,
          sinceMs,
          latestOf('host'),
        );
        if (byHost !== undefined) drafts.push(byHost);
      }
    }
    drafts.push(...slowHosts.findings(options, sinceMs));
    return drafts.slice(0, options.maxFindings);
  },
};
