import { setTimeout as sleep } from 'node:timers/promises';
import type { Joblens } from '@joblens/sdk';
import { MESSAGING_SYSTEM_BULLMQ } from '@joblens/semconv';
import { type Job, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { handlerFor } from './job-handlers.js';
import type { WorkerConsumers } from './worker-consumers.js';
import type { TransportConfig, WorkerConfig } from './worker-protocol.js';

/** One BullMQ Worker per queue this host consumes, each job run through the SDK's BullMQ adapter. */
export function startBullmqConsumers(
  joblens: Joblens,
  config: WorkerConfig,
  transport: Extract<TransportConfig, { kind: 'bullmq' }>,
  onProcessed: () => void,
): WorkerConsumers {
  const connection = new Redis(transport.redisUrl, { maxRetriesPerRequest: null });
  connection.on('error', () => {});
  const workers = config.consumers.map((consumer) => {
    const processor = async (job: Job) => {
      try {
        return await runBullmqAttempt(joblens, job, config.upstreamUrl);
      } finally {
        onProcessed();
        // Throttled hosts pause outside the attempt, holding their slot: they take fewer jobs, not slower ones.
        if (consumer.throttleMillis) await sleep(consumer.throttleMillis);
      }
    };
    const worker = new Worker(consumer.queue, processor, {
      connection,
      prefix: transport.prefix,
      concurrency: consumer.concurrency,
      // The hung job never settles; keep BullMQ from moving it back to wait and running it twice.
      stalledInterval: 300_000,
      autorun: true,
    });
    worker.on('error', () => {});
    return worker;
  });
  return {
    ready: Promise.all(workers.map((worker) => worker.waitUntilReady())).then(() => undefined),
    stopConsuming() {
      for (const worker of workers) void worker.pause(true).catch(() => {});
    },
    receive() {},
    async close() {
      await Promise.all(workers.map((worker) => worker.close(true).catch(() => {})));
      connection.disconnect();
    },
  };
}

function runBullmqAttempt(joblens: Joblens, job: Job, upstreamUrl: string): Promise<unknown> {
  const attempt = job.attemptsMade + 1;
  const maxAttempts = job.opts.attempts ?? 1;
  return joblens.runAttempt(
    {
      queue: job.queueName,
      jobName: job.name,
      jobId: job.id ?? '',
      attempt,
      maxAttempts,
      system: MESSAGING_SYSTEM_BULLMQ,
      readyAtMs: job.timestamp + (job.delay ?? 0),
      fetchedAtMs: job.processedOn,
    },
    (ctx) => handlerFor(job.name)({ ctx, data: job.data ?? {}, jobId: job.id ?? '', attempt, upstreamUrl }),
  );
}
