import { redactText } from '@joblens/analyzer';
import { BullmqJobProducer } from './bullmq-job-producer.js';
import type { JobProducer } from './job-producer.js';
import { LocalJobQueue } from './local-job-queue.js';
import { probeRedis } from './probe-redis.js';
import type { ParentMessage, TransportConfig } from './worker-protocol.js';

export interface ChosenTransport {
  producer: JobProducer;
  config: TransportConfig;
  /** The local queue, when jobs go over IPC; the fleet feeds it the workers' pulls and results. */
  localQueue?: LocalJobQueue;
  /** One line for the top of the output. */
  description: string;
}

/**
 * BullMQ when a Redis answers quickly (and `--no-redis` was not given), else the parent's own queue
 * handed to workers over IPC and run through the SDK's generic adapter.
 */
export async function chooseTransport(
  useRedis: boolean,
  redisUrl: string,
  runId: string,
  sendToWorker: (instanceId: string, message: ParentMessage) => void,
): Promise<ChosenTransport> {
  if (useRedis && (await probeRedis(redisUrl, 500))) {
    const prefix = `joblens-demo-${runId}`;
    return {
      producer: new BullmqJobProducer(redisUrl, prefix),
      config: { kind: 'bullmq', redisUrl, prefix },
      description: `jobs flow through BullMQ on Redis at ${redactText(redisUrl)} (key prefix ${prefix})`,
    };
  }
  const localQueue = new LocalJobQueue(sendToWorker);
  const why = useRedis ? `no Redis answered at ${redactText(redisUrl)}` : '--no-redis';
  return {
    producer: localQueue,
    config: { kind: 'local' },
    localQueue,
    description: `jobs flow through the generic adapter from an in-process queue (${why})`,
  };
}
