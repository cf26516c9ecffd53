import type { JobOutcome } from '@joblens/semconv';
import type { Job } from 'bullmq';
import { bullmqRetryDelayMillis } from './retry-delay.js';

export type BullmqFailureClass = { outcome: Exclude<JobOutcome, 'completed'>; retryDelayMillis?: number };

/** Errors by which a processor asks BullMQ to park the job (not a failure: it runs again later). */
const PARKING_ERRORS = new Set(['DelayedError', 'WaitingChildrenError', 'WaitingError', 'RateLimitError']);

function errorName(error: unknown): string | undefined {
  return error instanceof Error ? error.name : undefined;
}

/**
 * What BullMQ will do after this attempt throws, decided as BullMQ's `shouldRetryJob` decides:
 * `UnrecoverableError` or a discarded job end the job, a retry happens while
 * `attemptsMade + 1 < opts.attempts` (default 1) after the backoff's delay.
 */
export function classifyBullmqFailure(
  job: Pick<Job, 'opts' | 'attemptsMade'>,
  error: unknown,
): BullmqFailureClass {
  const name = errorName(error);
  if (name !== undefined && PARKING_ERRORS.has(name)) return { outcome: 'retry_scheduled' };
  const attempt = job.attemptsMade + 1;
  const maxAttempts = job.opts.attempts ?? 1;
  // `discarded` is protected in BullMQ's typings; `job.discard()` sets it.
  const discarded = (job as { discarded?: boolean }).discarded === true;
  if (name === 'UnrecoverableError' || discarded || attempt >= maxAttempts) return { outcome: 'exhausted' };
  const retryDelayMillis = bullmqRetryDelayMillis(job, attempt);
  return retryDelayMillis === undefined
    ? { outcome: 'retry_scheduled' }
    : { outcome: 'retry_scheduled', retryDelayMillis };
}
