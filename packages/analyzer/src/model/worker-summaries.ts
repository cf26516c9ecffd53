import type { LiveJobView, WorkerSummary } from './analyzer-view.js';
import type { WorkerTable } from './worker-table.js';

/** What the API and the findings page show per worker: liveness, load and share of each queue's work. */
export function buildWorkerSummaries(
  table: WorkerTable,
  liveJobs: Iterable<LiveJobView>,
  now: number,
  windowSeconds: number,
): WorkerSummary[] {
  const sinceMs = now - windowSeconds * 1000;
  const oldest = new Map<string, LiveJobView>();
  for (const job of liveJobs) {
    const current = oldest.get(job.worker);
    if (current === undefined || job.startedMs < current.startedMs) oldest.set(job.worker, job);
  }
  const queueTotals = new Map<string, number>();
  const perWorker = new Map<string, Map<string, ReturnType<WorkerTable['stats']>>>();
  for (const state of table.values()) {
    const stats = new Map<string, ReturnType<WorkerTable['stats']>>();
    for (const queue of state.queues) {
      const sum = table.stats(state.worker, queue, sinceMs);
      stats.set(queue, sum);
      const totalKey = `${state.service}\u0000${queue}`;
      queueTotals.set(totalKey, (queueTotals.get(totalKey) ?? 0) + sum.attemptsStarted);
    }
    perWorker.set(state.worker, stats);
  }
  const summaries: WorkerSummary[] = [];
  for (const state of table.values()) {
    const stats = perWorker.get(state.worker) ?? new Map();
    let completed = 0;
    let busySeconds = 0;
    const queues: WorkerSummary['queues'] = [];
    for (const [queue, sum] of stats) {
      completed += sum.completed;
      busySeconds += sum.busySeconds;
      const total = queueTotals.get(`${state.service}\u0000${queue}`) ?? 0;
      queues.push({
        queue,
        attemptsStarted: sum.attemptsStarted,
        share: total > 0 ? sum.attemptsStarted / total : 0,
      });
    }
    const lastSign = Math.max(state.lastHeartbeatMs ?? Number.NEGATIVE_INFINITY, state.lastSeenMs);
    const job = oldest.get(state.worker);
    summaries.push({
      worker: state.worker,
      service: state.service,
      host: state.host,
      pid: state.pid,
      lastHeartbeatMs: state.lastHeartbeatMs,
      heartbeatAgeSeconds: Number.isFinite(lastSign) ? Math.max(0, (now - lastSign) / 1000) : undefined,
      lastSeenMs: state.lastSeenMs,
      activeJobs: state.activeJobs,
      queues,
      oldestActiveJob:
        job === undefined
          ? undefined
          : {
              traceId: job.traceId,
              spanId: job.spanId,
              queue: job.queue,
              jobName: job.jobName,
              jobId: job.jobId,
              elapsedSeconds: Math.max(0, (now - job.startedMs) / 1000),
              currentStep: job.currentStep,
              silenceSeconds: Math.max(0, (now - job.quietSinceMs) / 1000),
            },
      completedInWindow: completed,
      busySecondsInWindow: busySeconds,
      lastCompletionMs: state.lastCompletionMs,
      stoppedMs: state.stoppedMs,
    });
  }
  summaries.sort((a, b) => a.service.localeCompare(b.service) || a.worker.localeCompare(b.worker));
  return summaries;
}
