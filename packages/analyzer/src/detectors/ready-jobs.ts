import type { QueueView } from '../model/analyzer-view.js';

/** Jobs ready to run now (waiting or prioritized) per the newest depth gauge; undefined when unknown or stale. */
export function readyJobs(queue: QueueView, freshSinceMs: number): number | undefined {
  if (queue.depthTimeMs === undefined || queue.depthTimeMs < freshSinceMs) return undefined;
  const waiting = queue.depthByState.waiting;
  const prioritized = queue.depthByState.prioritized;
  if (waiting === undefined && prioritized === undefined) return undefined;
  return (waiting ?? 0) + (prioritized ?? 0);
}

/**
 * The age of the oldest ready job that a quarter of the gauge readings since `sinceMs` reached (their
 * upper quartile); undefined when none. A queue that drains and refills reads near 0 at one poll and
 * seconds at the next; this says whether work kept waiting over the window, and does not flip with
 * each poll as the newest reading (or a median over an even mix) does.
 */
export function typicalOldestReadyAgeSeconds(queue: QueueView, sinceMs: number): number | undefined {
  const ages: number[] = [];
  for (const reading of queue.recentOldestReadyAges ?? [])
    if (reading.timeMs >= sinceMs) ages.push(reading.seconds);
  if (ages.length === 0) return undefined;
  ages.sort((a, b) => a - b);
  return ages[Math.floor((ages.length - 1) * 0.75)];
}

/** Age of the oldest ready job per the newest gauge; undefined when unknown or stale. */
export function oldestReadyAgeSeconds(queue: QueueView, freshSinceMs: number): number | undefined {
  if (queue.oldestReadyTimeMs === undefined || queue.oldestReadyTimeMs < freshSinceMs) return undefined;
  return queue.oldestReadyAgeSeconds;
}
