import { setTimeout as sleep } from 'node:timers/promises';
import {
  currentAttempt,
  instrumentHandler,
  type Joblens,
  type QueueStats,
  type QueueStatsSource,
} from '@joblens/sdk';
import { MESSAGING_SYSTEM_GENERIC, type QueueState } from '@joblens/semconv';
import { handlerFor } from './job-handlers.js';
import type { WorkerConsumers } from './worker-consumers.js';
import type { LocalJob, ParentMessage, WorkerConfig, WorkerMessage } from './worker-protocol.js';

/**
 * Consumers of the parent's local queue: one pull per free slot, each job run through the SDK's
 * generic adapter, the result sent back so the parent can retry after the backoff.
 */
export function startLocalConsumers(
  joblens: Joblens,
  config: WorkerConfig,
  send: (message: WorkerMessage) => void,
  onProcessed: () => void,
): WorkerConsumers {
  let consuming = true;
  const throttleByQueue = new Map(
    config.consumers.map((consumer) => [consumer.queue, consumer.throttleMillis ?? 0]),
  );
  const stats = new Map<string, QueueStats>();
  const unwatch = config.consumers.map((consumer) =>
    joblens.watchQueue(localStatsSource(consumer.queue, stats)),
  );

  const handlers = new Map(
    config.consumers.map((consumer) => [
      consumer.queue,
      instrumentedHandler(joblens, consumer.queue, config.upstreamUrl),
    ]),
  );
  const pull = (queue: string) => {
    if (consuming) send({ type: 'pull', queue });
  };

  const run = async (job: LocalJob) => {
    let ok = true;
    let error: string | undefined;
    try {
      await handlers.get(job.queue)?.(job);
    } catch (cause) {
      ok = false;
      error = cause instanceof Error ? cause.message : String(cause);
    }
    onProcessed();
    send({ type: 'result', jobId: job.id, queue: job.queue, ok, error });
    const throttle = throttleByQueue.get(job.queue) ?? 0;
    if (throttle > 0) await sleep(throttle);
    pull(job.queue);
  };

  for (const consumer of config.consumers) {
    for (let slot = 0; slot < consumer.concurrency; slot++) pull(consumer.queue);
  }

  return {
    ready: Promise.resolve(),
    stopConsuming() {
      consuming = false;
    },
    receive(message: ParentMessage) {
      if (message.type === 'job') {
        // A consumer that stopped leaves the job it was handed unstarted, as a dead consumer loop would.
        if (consuming) void run(message.job);
      } else if (message.type === 'queue-stats') {
        stats.set(message.queue, {
          counts: message.counts as Partial<Record<QueueState, number>>,
          oldestReadyAgeSeconds: message.oldestReadyAgeSeconds,
        });
      }
    },
    async close() {
      consuming = false;
      for (const stop of unwatch) stop();
    },
  };
}

function localStatsSource(queue: string, stats: Map<string, QueueStats>): QueueStatsSource {
  return {
    queue,
    system: MESSAGING_SYSTEM_GENERIC,
    async sample() {
      return stats.get(queue) ?? { counts: {}, oldestReadyAgeSeconds: 0 };
    },
  };
}

/** The consumer callback of one queue, wrapped by the SDK's generic adapter: one attempt per call. */
function instrumentedHandler(
  joblens: Joblens,
  queue: string,
  upstreamUrl: string,
): (job: LocalJob) => Promise<unknown> {
  return instrumentHandler(
    joblens,
    {
      queue,
      system: MESSAGING_SYSTEM_GENERIC,
      describe: (job: LocalJob) => ({
        jobId: job.id,
        jobName: job.name,
        attempt: job.attempt,
        maxAttempts: job.maxAttempts,
        readyAtMs: job.readyAtMs,
        fetchedAtMs: job.fetchedAtMs,
        classifyFailure: () =>
          job.attempt < job.maxAttempts
            ? { outcome: 'retry_scheduled', retryDelayMillis: job.backoffMillis }
            : { outcome: 'exhausted' },
      }),
    },
    async (job: LocalJob) => {
      const ctx = currentAttempt();
      if (!ctx) throw new Error(`job ${job.id} of ${queue} runs outside an attempt`);
      return handlerFor(job.name)({
        ctx,
        data: job.data,
        jobId: job.id,
        attempt: job.attempt,
        run: job.attempt,
        upstreamUrl,
      });
    },
  );
}
