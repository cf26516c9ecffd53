import type { AttemptView } from './analyzer-view.js';
import type { AttemptFacts, JobLogFacts } from './facts.js';

/**
 * What the model tells the stages beside it as it ingests: records it has read (normalized) once, so that
 * no one else reads the raw spans and log records again. Called on the ingest path, synchronously: a
 * listener keeps what it needs and returns, and must not throw.
 */
export interface ModelListener {
  /** An attempt span as read, each time it comes (a resent batch brings it again). */
  attemptSpan?(facts: AttemptFacts): void;
  /**
   * A finished attempt the model now holds, once. Its steps and a child's error may still arrive: keep the
   * reference and read it later.
   */
  finishedAttempt?(attempt: AttemptView): void;
  /** A log record about a job or a worker, as read. */
  jobLog?(facts: JobLogFacts): void;
}
