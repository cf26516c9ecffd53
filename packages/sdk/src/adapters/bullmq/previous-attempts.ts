import type { Job } from 'bullmq';

/** What an attempt leaves for the next attempt of the same job. */
export type PreviousAttempt = {
  traceId: string;
  spanId: string;
  /** Unix ms when the attempt ended. */
  endedAtMs: number;
  /** BullMQ's backoff for the next attempt, when known. */
  retryDelayMillis?: number;
};

/** The subset of BullMQ's Redis client abstraction (and of ioredis) this store uses. */
type KeyValueClient = {
  get(key: string): Promise<string | null>;
  set(key: string, value: string, ...rest: unknown[]): Promise<unknown>;
};

type JobWithQueue = Job & { queue?: { client?: Promise<KeyValueClient> } };

/** How long a job's last attempt is remembered: longer than any sensible backoff. */
const PREVIOUS_ATTEMPT_TTL_MILLIS = 7 * 24 * 3600 * 1000;

const TIMEOUT_MILLIS = 1000;

function keyOf(job: Job): string {
  return `${job.queueQualifiedName}:${job.id}:joblens`;
}

function withTimeout<T>(promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`no answer from Redis within ${TIMEOUT_MILLIS} ms`)),
      TIMEOUT_MILLIS,
    );
    timer.unref();
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Remembers each failed attempt's span so the next attempt can link to it and know when its
 * backoff ended. Kept in Redis, next to the job, rather than in this process: the retry usually
 * runs on another worker (or after a restart). Written only when an attempt fails and read only
 * for retries, so healthy jobs pay no extra round trip; a key per job with a TTL (rather than a
 * hash) so entries expire one by one. An in-process map covers clients without `get`/`set`.
 */
export class PreviousAttempts {
  readonly #local = new Map<string, PreviousAttempt>();
  readonly #maxLocal = 10_000;

  async read(job: Job): Promise<PreviousAttempt | undefined> {
    const key = keyOf(job);
    const client = await this.#client(job);
    if (!client) return this.#local.get(key);
    const text = await withTimeout(client.get(key));
    if (!text) return undefined;
    const value = JSON.parse(text) as Partial<PreviousAttempt>;
    if (
      typeof value.traceId !== 'string' ||
      typeof value.spanId !== 'string' ||
      typeof value.endedAtMs !== 'number'
    ) {
      return undefined;
    }
    return value as PreviousAttempt;
  }

  async write(job: Job, attempt: PreviousAttempt): Promise<void> {
    const key = keyOf(job);
    const client = await this.#client(job);
    if (!client) {
      if (this.#local.size >= this.#maxLocal) this.#local.delete(this.#local.keys().next().value as string);
      this.#local.set(key, attempt);
      return;
    }
    const text = JSON.stringify(attempt);
    // BullMQ's abstraction takes an options object; a bare ioredis client takes 'PX', ms.
    const isBullmqClient = typeof (client as { runCommand?: unknown }).runCommand === 'function';
    await withTimeout(
      isBullmqClient
        ? client.set(key, text, { PX: PREVIOUS_ATTEMPT_TTL_MILLIS })
        : client.set(key, text, 'PX', PREVIOUS_ATTEMPT_TTL_MILLIS),
    );
  }

  async #client(job: Job): Promise<KeyValueClient | undefined> {
    // `queue` is protected in BullMQ's typings; it is the worker that fetched the job.
    const client = await (job as JobWithQueue).queue?.client;
    return client && typeof client.get === 'function' && typeof client.set === 'function'
      ? client
      : undefined;
  }
}
