import type { AttemptDescriptor } from '../interfaces.js';

/** A descriptor whose required fields are checked and whose defaults are applied. */
export type NormalizedDescriptor = AttemptDescriptor & { attempt: number; system: string };

function requiredString(name: string, value: unknown): string {
  if (typeof value === 'string' && value !== '') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  throw new Error(
    `attempt descriptor: ${name} must be a non-empty string, got ${typeof value === 'string' ? '""' : String(value)}`,
  );
}

/** Throws (to the caller's onError, never to the job) when the adapter passed nonsense. */
export function normalizeDescriptor(
  descriptor: AttemptDescriptor,
  defaultSystem: string,
): NormalizedDescriptor {
  if (descriptor === null || typeof descriptor !== 'object')
    throw new Error('attempt descriptor must be an object');
  const attempt = descriptor.attempt ?? 1;
  if (!Number.isInteger(attempt) || attempt < 1)
    throw new Error(`attempt descriptor: attempt must be an integer >= 1, got ${attempt}`);
  const maxAttempts = descriptor.maxAttempts;
  // Spelled out rather than spread: one object of one shape per job, and no foreign fields.
  return {
    queue: requiredString('queue', descriptor.queue),
    jobName: requiredString('jobName', descriptor.jobName),
    jobId: requiredString('jobId', descriptor.jobId),
    attempt,
    maxAttempts: Number.isInteger(maxAttempts) && (maxAttempts as number) >= 1 ? maxAttempts : undefined,
    system:
      typeof descriptor.system === 'string' && descriptor.system !== '' ? descriptor.system : defaultSystem,
    readyAtMs: descriptor.readyAtMs,
    fetchedAtMs: descriptor.fetchedAtMs,
    producerCarrier: descriptor.producerCarrier,
    previousAttempt: descriptor.previousAttempt,
    monitorSlug: descriptor.monitorSlug,
    attributes: descriptor.attributes,
    classifyFailure: descriptor.classifyFailure,
  };
}
