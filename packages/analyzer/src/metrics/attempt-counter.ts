import type { AnalyzerView, AttemptView } from '../model/analyzer-view.js';

import type { AnalyzerMetrics } from './analyzer-metrics.js';

/** What the counter reads: the model's attempts that arrived since it last asked, and their gaps. */
export type NewAttemptSource = Pick<AnalyzerView, 'attemptLongestGapSeconds'> & {
  takeNewAttempts(): AttemptView[];
};

/**
 * Feeds each finished attempt into the job counters and histograms exactly once. The model deduplicates
 * attempts (OTLP retries deliver twice) and hands over those that arrived since the last call, so an
 * evaluation costs the new attempts only, not the whole window. Counting at evaluation rather than at
 * ingest keeps the ingest path free of a second normalization, and late children are in by then.
 */
export class AttemptCounter {
  constructor(
    private readonly view: NewAttemptSource,
    private readonly metrics: AnalyzerMetrics,
  ) {}

  countNew(): void {
    for (const attempt of this.view.takeNewAttempts()) {
      const { facts } = attempt;
      this.metrics.countAttempt({
        service: facts.service,
        queue: facts.queue,
        jobName: facts.jobName,
        outcome: facts.outcome,
        attempt: facts.attempt,
        durationSeconds: (facts.endMs - facts.startMs) / 1000,
        longestGapSeconds: isInstrumented(attempt) ? this.view.attemptLongestGapSeconds(attempt) : undefined,
      });
    }
  }
}

/**
 * An attempt with no step and no checkpoint says nothing about its inside; its whole duration would read
 * as one long gap. Like the mystery_gap detector, the gap histogram leaves such attempts out.
 */
function isInstrumented(attempt: AttemptView): boolean {
  return attempt.steps.length > 0 || attempt.marks.some((mark) => mark.kind === 'checkpoint');
}
