import { setTimeout as sleep } from 'node:timers/promises';
import type { Joblens } from '@joblens/sdk';
import { createBullmqQueueStatsSource, observeWorker, withJoblens } from '@joblens/sdk/bullmq';
import { Queue, Worker } from 'bullmq';
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
  const queues: Queue[] = [];
  const unwatch: (() => void)[] = [];
  const workers = config.consumers.map((consumer) => {
    const instrumented = withJoblens(joblens, (job, _token, _signal, ctx) =>
      handlerFor(job.name)({
        ctx,
        data: (job.data ?? {}) as Record<string, unknown>,
        jobId: String(job.id),
        attempt: job.attemptsMade + 1,
        run: job.attemptsStarted ?? job.attemptsMade + 1,
        upstreamUrl: config.upstreamUrl,
      }),
    );
    const worker = new Worker(
      consumer.queue,
      async (job, token, signal) => {
        try {
          return await instrumented(job, token, signal);
        } finally {
          onProcessed();
          // Throttled hosts pause outside the attempt, holding their slot: they take fewer jobs, not slower ones.
          if (consumer.throttleMillis) await sleep(consumer.throttleMillis);
        }
      },
      {
        connection,
        prefix: transport.prefix,
        concurrency: consumer.concurrency,
        autorun: true,
        ...(consumer.lockDurationMillis ? { lockDuration: consumer.lockDurationMillis } : {}),
        ...(consumer.stalledIntervalMillis ? { stalledInterval: consumer.stalledIntervalMillis } : {}),
      },
    );
    worker.on('error', () => {});
    unwatch.push(observeWorker(joblens, worker));
    const queue = new Queue(consumer.queue, { connection, prefix: transport.prefix });
    queue.on('error', () => {});
    queues.push(queue);
    unwatch.push(joblens.watchQueue(createBullmqQueueStatsSource(queue)));
    return worker;
  });
  return {
    ready: Promise.all(workers.map((worker) => worker.waitUntilReady())).then(() => undefined),
    stopConsuming() {
      for (const worker of workers) void worker.pause(true).catch(() => {});
    },
    receive() {},
    async close() {
      for (const stop of unwatch) stop();
      await Promise.all(workers.map((worker) => worker.close(true).catch(() => {})));
      await Promise.all(queues.map((queue) => queue.close().catch(() => {})));
      connection.disconnect();
    },
  };
}
