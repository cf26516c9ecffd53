import type { FindingEvidence } from '../detectors/finding-draft.js';

/**
 * The blocked main thread's stack an `event_loop_blocked` finding carries in `evidence.detail.stack`
 * (innermost frame first), or undefined. Read defensively: a finding loaded from a store may come from
 * an older analyzer, or its detail from another detector.
 */
export function evidenceStackOf(evidence: FindingEvidence): string[] | undefined {
  const stack = evidence.detail?.stack;
  if (!Array.isArray(stack)) return undefined;
  const frames = stack.filter((frame): frame is string => typeof frame === 'string');
  return frames.length > 0 ? frames : undefined;
}
