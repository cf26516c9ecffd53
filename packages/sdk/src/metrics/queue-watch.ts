import type { QueueStats, QueueStatsSource } from '../interfaces.js';

export type QueueSample = { source: QueueStatsSource; stats: QueueStats };

function withTimeout<T>(promise: Promise<T>, timeoutMillis: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`${what} took longer than ${timeoutMillis} ms`)),
      timeoutMillis,
    );
    timer.unref();
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * The queues an SDK instance reports on. Each sample is bounded in time so a slow Redis never holds
 * up a metric export, and a failing source is reported and skipped for that round.
 */
export class QueueWatch {
  readonly #sources = new Set<QueueStatsSource>();
  readonly #last = new Map<string, QueueStats>();
  readonly #timeoutMillis: number;
  readonly #onError: (error: unknown) => void;

  constructor(timeoutMillis: number, onError: (error: unknown) => void) {
    this.#timeoutMillis = timeoutMillis;
    this.#onError = onError;
  }

  add(source: QueueStatsSource): () => void {
    if (!source || typeof source.sample !== 'function' || typeof source.queue !== 'string') {
      this.#onError(new Error('watchQueue: the source needs a queue name and a sample() method'));
      return () => {};
    }
    this.#sources.add(source);
    return () => {
      this.#sources.delete(source);
      this.#last.delete(source.queue);
    };
  }

  /** The last good sample of each queue. */
  lastSamples(): ReadonlyMap<string, QueueStats> {
    return this.#last;
  }

  async sampleAll(): Promise<QueueSample[]> {
    const sources = [...this.#sources];
    const results = await Promise.all(
      sources.map(async (source) => {
        try {
          const stats = await withTimeout(
            Promise.resolve().then(() => source.sample()),
            this.#timeoutMillis,
            `sampling queue ${source.queue}`,
          );
          if (!stats || typeof stats !== 'object' || !stats.counts)
            throw new Error(`sampling queue ${source.queue}: no counts in the sample`);
          this.#last.set(source.queue, stats);
          return { source, stats };
        } catch (error) {
          this.#onError(
            error instanceof Error && error.message.startsWith('sampling queue')
              ? error
              : new Error(`sampling queue ${source.queue}`, { cause: error }),
          );
          return undefined;
        }
      }),
    );
    return results.filter((r): r is QueueSample => r !== undefined);
  }
}
