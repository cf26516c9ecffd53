import type { HistoryAttempt } from './history-store.js';

/** A job's attempts oldest first, as `jobAttempts` lists them: by start, then by attempt number. */
export function byStartThenAttempt(a: HistoryAttempt, b: HistoryAttempt): number {
  return a.startMs - b.startMs || a.attempt - b.attempt;
}
