import type { TimelineAttempt } from '../findings/timeline-data.js';

/** Attempts drawn before and after the summary line when a job has more than fit. */
const FIRST_ATTEMPTS_DRAWN = 2;
const LAST_ATTEMPTS_DRAWN = 3;
/** Error types named in the summary line; the rest are counted as "other". */
const ERROR_TYPES_NAMED = 3;

export type TimelineRow =
  | { kind: 'attempt'; attempt: TimelineAttempt }
  | { kind: 'summary'; attempts: TimelineAttempt[]; text: string };

/**
 * The rows the timeline draws: every attempt of a job with few, else the first and the last ones with one
 * line between that summarizes the rest. A poison job retried a hundred times drew a lane per attempt (a
 * page thousands of pixels tall, with labels on top of bars); the first attempt shows how it began and the
 * last ones how it fails now, and the summary keeps the count and the error types of the middle.
 */
export function chooseTimelineRows(attempts: readonly TimelineAttempt[]): TimelineRow[] {
  if (attempts.length <= FIRST_ATTEMPTS_DRAWN + LAST_ATTEMPTS_DRAWN + 1) {
    return attempts.map((attempt) => ({ kind: 'attempt', attempt }));
  }
  const hidden = attempts.slice(FIRST_ATTEMPTS_DRAWN, attempts.length - LAST_ATTEMPTS_DRAWN);
  return [
    ...attempts.slice(0, FIRST_ATTEMPTS_DRAWN).map((attempt) => ({ kind: 'attempt' as const, attempt })),
    { kind: 'summary', attempts: hidden, text: summarizeAttempts(hidden) },
    ...attempts.slice(-LAST_ATTEMPTS_DRAWN).map((attempt) => ({ kind: 'attempt' as const, attempt })),
  ];
}

/** `attempts 3–97 (95) not drawn: 93 retry_scheduled, 2 completed · errors TypeError 90, TimeoutError 3`. */
function summarizeAttempts(attempts: readonly TimelineAttempt[]): string {
  const outcomes = new Map<string, number>();
  const errorTypes = new Map<string, number>();
  for (const attempt of attempts) {
    count(outcomes, attempt.outcome ?? 'running');
    if (attempt.errorType) count(errorTypes, attempt.errorType);
  }
  const named = mostFrequent(errorTypes).slice(0, ERROR_TYPES_NAMED);
  const unnamed = sum(errorTypes.values()) - sum(named.map(([, n]) => n));
  const errors = [...named.map(([type, n]) => `${type} ${n}`), ...(unnamed > 0 ? [`other ${unnamed}`] : [])];
  const range = `attempts ${attempts[0]?.attempt}–${attempts.at(-1)?.attempt} (${attempts.length}) not drawn`;
  const byOutcome = mostFrequent(outcomes).map(([outcome, n]) => `${n} ${outcome}`);
  return `${range}: ${byOutcome.join(', ')}${errors.length > 0 ? ` · errors ${errors.join(', ')}` : ''}`;
}

function count(counts: Map<string, number>, key: string): void {
  counts.set(key, (counts.get(key) ?? 0) + 1);
}

function mostFrequent(counts: Map<string, number>): Array<[string, number]> {
  return [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
}

function sum(values: Iterable<number>): number {
  let total = 0;
  for (const value of values) total += value;
  return total;
}
