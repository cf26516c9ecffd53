import type { AnalyzerView, AttemptView } from '../model/analyzer-view.js';
import type { AnalyzerMetrics } from './analyzer-metrics.js';

/**
 * Feeds each finished attempt into the job counters and histograms exactly once. The model deduplicates
 * attempts (OTLP retries deliver twice) and keeps one object per attempt, so "counted" is remembered by
 * object identity in a WeakSet: attempts the model evicts are forgotten here too, with no bookkeeping.
 * Counting at evaluation rather than at ingest keeps the ingest path free of a second normalization.
 */
export class AttemptCounter {
  private readonly counted = new WeakSet<AttemptView>();

  constructor(
    private readonly view: AnalyzerView,
    private readonly metrics: AnalyzerMetrics,
  ) {}

  countNew(): void {
    for (const attempt of this.view.finishedAttempts(Number.NEGATIVE_INFINITY)) {
      if (this.counted.has(attempt)) continue;
      this.counted.add(attempt);
      const { facts } = attempt;
      this.metrics.countAttempt({
        service: facts.service,
        queue: facts.queue,
        jobName: facts.jobName,
        outcome: facts.outcome,
        attempt: facts.attempt,
        durationSeconds: (facts.endMs - facts.startMs) / 1000,
        longestGapSeconds: isInstrumented(attempt)
          ? (this.view.attemptGaps(attempt)[0]?.seconds ?? 0)
          : undefined,
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
