import type { Job } from 'bullmq';

/**
 * The delay BullMQ will wait before the next attempt after attempt `attempt` (1-based) fails, from
 * `opts.backoff` and BullMQ's own formulas (fixed: `delay`; exponential: `2^(attempt-1) * delay`).
 * With jitter the middle of the range is returned; undefined for custom strategies, whose delay
 * only the queue's settings know.
 */
export function bullmqRetryDelayMillis(job: Pick<Job, 'opts'>, attempt: number): number | undefined {
  const backoff = job.opts.backoff;
  if (backoff === undefined) return 0;
  if (typeof backoff === 'number') return Number.isFinite(backoff) ? Math.max(0, backoff) : undefined;
  const delay = backoff.delay ?? 0;
  const jitter = Math.min(1, Math.max(0, backoff.jitter ?? 0));
  let full: number;
  if (backoff.type === 'fixed') full = delay;
  else if (backoff.type === 'exponential') full = Math.round(2 ** (attempt - 1) * delay);
  else return undefined;
  return Math.round(full * (1 - jitter / 2));
}
