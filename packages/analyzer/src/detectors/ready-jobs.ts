import type { QueueView } from '../model/analyzer-view.js';

/** Jobs ready to run now (waiting or prioritized) per the newest depth gauge; undefined when unknown or stale. */
export function readyJobs(queue: QueueView, freshSinceMs: number): number | undefined {
  if (queue.depthTimeMs === undefined || queue.depthTimeMs < freshSinceMs) return undefined;
  const waiting = queue.depthByState.waiting;
  const prioritized = queue.depthByState.prioritized;
  if (waiting === undefined && prioritized === undefined) return undefined;
  return (waiting ?? 0) + (prioritized ?? 0);
}

/** Age of the oldest ready job per the newest gauge; undefined when unknown or stale. */
export function oldestReadyAgeSeconds(queue: QueueView, freshSinceMs: number): number | undefined {
  if (queue.oldestReadyTimeMs === undefined || queue.oldestReadyTimeMs < freshSinceMs) return undefined;
  return queue.oldestReadyAgeSeconds;
}
