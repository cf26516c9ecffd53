import { MESSAGING_SYSTEM_BULLMQ } from '@joblens/semconv';
import { Job, type Worker } from 'bullmq';
import type { Joblens } from '../../interfaces.js';
import { createBullmqConsumerSource } from './bullmq-consumer-source.js';
import { producerCarrierOf } from './trace-context.js';

/** The error a stalled attempt is recorded with (BullMQ found its lock expired: the worker died or blocked). */
export class JobStalledError extends Error {
  constructor(jobId: string, queue: string) {
    super(`job ${jobId} of queue ${queue} stalled: its lock expired before it finished`);
    this.name = 'JobStalledError';
  }
}

/**
 * Listens to a BullMQ worker's events that the processor never sees: each `stalled` job becomes
 * an attempt record with outcome `stalled` (BullMQ moves it back to wait or fails it). Also reports
 * what the worker is doing (state, connection status, last fetch) with each metric export, through
 * `joblens.watchConsumer`. Returns the function that stops both.
 */
export function observeWorker(
  joblens: Joblens,
  worker: Worker,
  options: { onError?: (error: Error) => void } = {},
): () => void {
  const onError = options.onError ?? ((error: Error) => joblens.reportError(error));
  const onStalled = (jobId: string) => {
    recordStall(joblens, worker, jobId).catch((cause) =>
      onError(new Error(`recording the stall of job ${jobId}`, { cause })),
    );
  };
  worker.on('stalled', onStalled);
  const consumer = createBullmqConsumerSource(worker);
  const unwatch = joblens.watchConsumer(consumer.source);
  return () => {
    worker.off('stalled', onStalled);
    consumer.stop();
    unwatch();
  };
}

async function recordStall(joblens: Joblens, worker: Worker, jobId: string): Promise<void> {
  // The worker serves as the queue here, as it does for the jobs it fetches itself.
  const job = await Job.fromId(worker as never, jobId);
  const stalled = new JobStalledError(jobId, worker.name);
  await joblens
    .runAttempt(
      {
        queue: worker.name,
        jobName: job?.name ?? 'unknown',
        jobId,
        // BullMQ does not count a stalled run as made; it was started, though.
        attempt: Math.max(1, job?.attemptsStarted ?? (job?.attemptsMade ?? 0) + 1),
        maxAttempts: job?.opts.attempts ?? 1,
        system: MESSAGING_SYSTEM_BULLMQ,
        // In the producer's trace, beside the attempts of the same job.
        producerCarrier: job ? producerCarrierOf(job) : undefined,
        classifyFailure: () => ({ outcome: 'stalled' }),
      },
      () => {
        throw stalled;
      },
    )
    .catch((error: unknown) => {
      if (error !== stalled) throw error;
    });
}
