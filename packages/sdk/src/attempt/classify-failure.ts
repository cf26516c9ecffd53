import { JOB_OUTCOMES, type JobOutcome } from '@joblens/semconv';
import type { NormalizedDescriptor } from './normalize-descriptor.js';

export type FailureClass = { outcome: Exclude<JobOutcome, 'completed'>; retryDelayMillis?: number };

function defaultClass(descriptor: NormalizedDescriptor): FailureClass {
  if (descriptor.maxAttempts === undefined) return { outcome: 'failed' };
  return { outcome: descriptor.attempt < descriptor.maxAttempts ? 'retry_scheduled' : 'exhausted' };
}

/**
 * The outcome of a failed attempt: the adapter's classifier when it gives a valid answer, else the
 * retry policy implied by attempt and maxAttempts. A throwing classifier is reported, not obeyed.
 */
export function classifyFailure(
  descriptor: NormalizedDescriptor,
  error: unknown,
  onError: (error: unknown) => void,
): FailureClass {
  if (!descriptor.classifyFailure) return defaultClass(descriptor);
  try {
    const result = descriptor.classifyFailure(error);
    const outcome: string | undefined = result?.outcome;
    const valid =
      outcome !== undefined &&
      outcome !== 'completed' &&
      (JOB_OUTCOMES as readonly string[]).includes(outcome);
    if (!valid) throw new Error(`classifyFailure returned an invalid outcome: ${String(result?.outcome)}`);
    const delay = result.retryDelayMillis;
    return {
      outcome: result.outcome,
      retryDelayMillis: typeof delay === 'number' && Number.isFinite(delay) && delay >= 0 ? delay : undefined,
    };
  } catch (classifierError) {
    onError(new Error('classifying a failed attempt', { cause: classifierError }));
    return defaultClass(descriptor);
  }
}
