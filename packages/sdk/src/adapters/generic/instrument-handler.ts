import { randomUUID } from 'node:crypto';
import type { AttemptDescriptor, Joblens } from '../../interfaces.js';

/** What is known about every message of a consumer, plus how to read the rest from each message. */
export type HandlerBase<A extends unknown[]> = Omit<AttemptDescriptor, 'jobId' | 'jobName'> & {
  /** Default: the queue name. */
  jobName?: string;
  /**
   * Reads per-message facts (job id, attempt, producer carrier, ...) from the handler's arguments.
   * Default: a random job id. A throwing `describe` is reported and the defaults are used.
   */
  describe?: (...args: A) => Partial<AttemptDescriptor>;
};

/**
 * Wraps any queue consumer callback so that each call is one instrumented attempt. The callback's
 * result or error passes through untouched; inside it, `step()`, `checkpoint()` and
 * `currentAttempt()` reach the attempt.
 */
export function instrumentHandler<A extends unknown[], R>(
  joblens: Joblens,
  base: HandlerBase<A>,
  handler: (...args: A) => Promise<R> | R,
): (...args: A) => Promise<R> {
  const { describe, ...fixed } = base;
  return (...args: A) => {
    let perMessage: Partial<AttemptDescriptor> = {};
    try {
      perMessage = describe?.(...args) ?? {};
    } catch (error) {
      joblens.reportError(new Error(`describing a message of queue ${fixed.queue}`, { cause: error }));
    }
    const descriptor: AttemptDescriptor = {
      ...fixed,
      jobName: fixed.jobName ?? fixed.queue,
      jobId: randomUUID(),
      ...perMessage,
    };
    return joblens.runAttempt(descriptor, () => handler(...args));
  };
}
