import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import {
  DEFAULT_ATTEMPTS,
  DEFAULT_BACKOFF_MILLIS,
  type DemoJobSpec,
  type JobProducer,
} from './job-producer.js';

/**
 * Enqueues the demo's jobs in BullMQ under a prefix of their own, so cleanup can obliterate exactly
 * what the demo made and nothing else in that Redis.
 */
export class BullmqJobProducer implements JobProducer {
  readonly kind = 'bullmq';
  private readonly queues = new Map<string, Queue>();
  private readonly connection: Redis;

  constructor(
    redisUrl: string,
    private readonly prefix: string,
  ) {
    this.connection = new Redis(redisUrl, { maxRetriesPerRequest: null, lazyConnect: false });
    // Without a listener ioredis prints every reconnect attempt; the demo reports failures through adds.
    this.connection.on('error', () => {});
  }

  async add(queue: string, spec: DemoJobSpec): Promise<void> {
    await this.queue(queue).add(spec.name, spec.data ?? {}, {
      attempts: spec.attempts ?? DEFAULT_ATTEMPTS,
      backoff: { type: 'fixed', delay: spec.backoffMillis ?? DEFAULT_BACKOFF_MILLIS },
      removeOnComplete: 1000,
      removeOnFail: 1000,
    });
  }

  async waitingCount(queue: string): Promise<number> {
    return this.queue(queue).getWaitingCount();
  }

  /** Opens (or reuses) every queue up front, so cleanup knows them even if nothing was added. */
  open(names: string[]): void {
    for (const name of names) this.queue(name);
  }

  async close(): Promise<void> {
    for (const queue of this.queues.values()) {
      try {
        await queue.obliterate({ force: true });
      } catch {
        // Best effort: a queue that cannot be obliterated now is left for the next run's prefix to ignore.
      }
      await queue.close().catch(() => {});
    }
    this.queues.clear();
    await this.deleteLeftovers().catch(() => {});
    this.connection.disconnect();
  }

  /**
   * Keys under the demo's prefix that obliterate does not know: what the SDK's BullMQ adapter keeps
   * per retried job (with a week's TTL) so a retry links to its previous attempt.
   */
  private async deleteLeftovers(): Promise<void> {
    let cursor = '0';
    do {
      const [next, keys] = await this.connection.scan(cursor, 'MATCH', `${this.prefix}:*`, 'COUNT', 500);
      if (keys.length > 0) await this.connection.unlink(...keys);
      cursor = next;
    } while (cursor !== '0');
  }

  private queue(name: string): Queue {
    let queue = this.queues.get(name);
    if (!queue) {
      queue = new Queue(name, { connection: this.connection, prefix: this.prefix });
      queue.on('error', () => {});
      this.queues.set(name, queue);
    }
    return queue;
  }
}
