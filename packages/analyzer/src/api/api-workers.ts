import type { AnalyzerView } from '../model/analyzer-view.js';
import type { ApiWorker } from './api-router.js';

/** The model's worker summaries as `GET /api/workers` shows them. */
export function apiWorkers(view: AnalyzerView, now: number): ApiWorker[] {
  return view.workers(now).map((w) => {
    const row: ApiWorker = {
      worker: w.worker,
      service: w.service,
      host: w.host,
      pid: w.pid,
      lastHeartbeatMs: w.lastHeartbeatMs,
      heartbeatAgeSeconds: w.heartbeatAgeSeconds,
      lastSeenMs: w.lastSeenMs,
      activeJobs: w.activeJobs,
      shareOfWork: Object.fromEntries(w.queues.map((q) => [q.queue, q.share])),
      completedInWindow: w.completedInWindow,
    };
    if (w.stoppedMs !== undefined) row.stoppedMs = w.stoppedMs;
    if (w.oldestActiveJob) {
      const job = w.oldestActiveJob;
      row.oldestActiveJob = {
        jobId: job.jobId,
        jobName: job.jobName,
        queue: job.queue,
        ageSeconds: job.elapsedSeconds,
        traceId: job.traceId,
      };
    }
    return row;
  });
}
