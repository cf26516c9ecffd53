import type { HistoryAttempt } from './history-store.js';

/**
 * The attempt with its times in whole milliseconds, the history's resolution. Times come from nanosecond
 * timestamps and are often fractional (…409.9998): PostgreSQL's BIGINT refuses them, and a batch it
 * refuses is retried for ever while ingest answers 503.
 */
export function inWholeMillis(attempt: HistoryAttempt): HistoryAttempt {
  if (
    Number.isInteger(attempt.startMs) &&
    Number.isInteger(attempt.endMs) &&
    attempt.steps.every((step) => Number.isInteger(step.startMs) && Number.isInteger(step.endMs))
  )
    return attempt;
  return {
    ...attempt,
    startMs: Math.round(attempt.startMs),
    endMs: Math.round(attempt.endMs),
    steps: attempt.steps.map((step) => ({
      name: step.name,
      startMs: Math.round(step.startMs),
      endMs: Math.round(step.endMs),
    })),
  };
}
