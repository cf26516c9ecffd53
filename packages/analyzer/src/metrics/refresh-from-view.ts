import type { AnalyzerView } from '../model/analyzer-view.js';
import type { AnalyzerMetrics } from './analyzer-metrics.js';

/** Rebuilds the worker, queue and window gauges from what the model holds now. */
export function refreshMetricsFromView(metrics: AnalyzerMetrics, view: AnalyzerView, now: number): void {
  metrics.refreshWorkers(
    view.workers(now).map((w) => ({
      service: w.service,
      worker: w.worker,
      host: w.host,
      heartbeatAgeSeconds: w.heartbeatAgeSeconds,
      activeJobs: w.activeJobs,
      stoppedMs: w.stoppedMs,
      shareByQueue: Object.fromEntries(w.queues.map((q) => [q.queue, q.share])),
    })),
  );
  metrics.refreshQueues(
    [...view.queueStates()].map((q) => ({
      service: q.service,
      queue: q.queue,
      depthByState: q.depthByState as Record<string, number>,
      oldestReadyAgeSeconds: q.oldestReadyAgeSeconds,
    })),
  );
  metrics.refreshWindowSizes(view.windowSizes());
}
