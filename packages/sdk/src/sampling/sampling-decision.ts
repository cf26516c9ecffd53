/** Why an attempt's spans were kept; the values of `joblens.job.sampled_reason`. */
export type SampledReason = 'failed' | 'retried' | 'slow' | 'gap' | 'diagnostic' | 'ratio';

export type AttemptFacts = {
  failed: boolean;
  /** 1-based attempt number. */
  attempt: number;
  durationMillis: number;
  longestSilenceMillis: number;
  diagnostic: boolean;
};

export type SamplingPolicy = {
  keepOneInHealthy: number;
  slowThresholdMillis: number;
  gapThresholdMillis: number;
};

/**
 * Tail-sampling decision for one finished attempt. Interesting attempts are always kept; of the
 * healthy rest, 1 in `keepOneInHealthy` is kept by a counter (not randomly) so tests and operators
 * can predict it. Returns undefined when the attempt is dropped.
 */
export function createSamplingDecider(
  policy: SamplingPolicy,
): (facts: AttemptFacts) => SampledReason | undefined {
  let healthySeen = 0;
  return (facts) => {
    if (facts.failed) return 'failed';
    if (facts.attempt > 1) return 'retried';
    if (facts.durationMillis >= policy.slowThresholdMillis) return 'slow';
    if (facts.longestSilenceMillis >= policy.gapThresholdMillis) return 'gap';
    if (facts.diagnostic) return 'diagnostic';
    const keep = healthySeen % policy.keepOneInHealthy === 0;
    healthySeen++;
    return keep ? 'ratio' : undefined;
  };
}
