import type { JobOutcome } from '@joblens/semconv';

/**
 * What one instrumentation's own span shape says about an attempt, beyond the messaging conventions the
 * generic reading follows. Every field is optional: the generic reading fills in what a dialect leaves.
 */
export interface DialectReading {
  /** `messaging.system` when the span does not name one. */
  system?: string;
  queue?: string;
  jobId?: string;
  jobName?: string;
  /** 1-based, when the dialect carries it; left out, the model numbers the deliveries of the job it saw. */
  attempt?: number;
  outcome?: JobOutcome;
  errorMessage?: string;
  queueWaitSeconds?: number;
  /**
   * The span ended for a reason that says nothing about the job (the instrumentation gave up waiting for
   * an ack, the channel closed under it): it is not read as an attempt at all.
   */
  notAnAttempt?: boolean;
}
