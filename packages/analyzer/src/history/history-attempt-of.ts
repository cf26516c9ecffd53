import type { AttemptView } from '../model/analyzer-view.js';
import { type HistoryAttempt, type HistoryStep, MAX_HISTORY_STEPS } from './history-store.js';

/** How long the longest gap of an attempt was and where (`after->before`); the model's `attemptLongestGap`. */
export type LongestGapOf = (attempt: AttemptView) => { seconds: number; location: string } | undefined;

/**
 * The history's row for a finished attempt, read when it is written rather than when the attempt span
 * came: by then its step spans and a child's error have arrived. Error text is the facts', which ingest
 * already redacted.
 */
export function historyAttemptOf(attempt: AttemptView, longestGapOf: LongestGapOf): HistoryAttempt {
  const facts = attempt.facts;
  const gap = longestGapOf(attempt);
  return {
    service: facts.service,
    queue: facts.queue,
    jobName: facts.jobName,
    jobId: facts.jobId,
    attempt: facts.attempt,
    worker: facts.worker,
    host: facts.host,
    startMs: facts.startMs,
    endMs: facts.endMs,
    outcome: facts.outcome,
    errorType: facts.errorType,
    errorMessage: facts.errorMessage,
    steps: historyStepsOf(attempt),
    longestGapSeconds: gap?.seconds ?? 0,
    longestGapLocation: gap?.location,
    traceId: facts.traceId,
    spanId: facts.spanId,
  };
}

function historyStepsOf(attempt: AttemptView): HistoryStep[] {
  const count = Math.min(attempt.steps.length, MAX_HISTORY_STEPS);
  const steps: HistoryStep[] = new Array(count);
  for (let i = 0; i < count; i++) {
    const step = attempt.steps[i];
    steps[i] = { name: step.name, startMs: step.startMs, endMs: step.endMs };
  }
  return steps;
}
