import { randomUUID } from 'node:crypto';
import {
  ATTR_CONSUMER_CONNECTION,
  ATTR_CONSUMER_STATE,
  ATTR_MESSAGING_DESTINATION_NAME,
  ATTR_MESSAGING_SYSTEM,
  MESSAGING_SYSTEM_BULLMQ,
  METRIC_CONSUMER_LAST_FETCH_TIME,
  METRIC_CONSUMERS,
} from '@joblens/semconv';
import { ensureRedis, REDIS_URL } from '@joblens/test-utils';
import type { MetricData } from '@opentelemetry/sdk-metrics';
import { Queue, Worker } from 'bullmq';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { observeWorker, withJoblens } from '../src/adapters/bullmq/index.js';
import { type InMemoryJoblens, sleep, startInMemoryJoblens } from './support/in-memory-joblens.js';

const url = new URL(REDIS_URL);
const connection = { host: url.hostname, port: Number(url.port || 6379), maxRetriesPerRequest: null };

/** The data points of a metric; for `joblens.consumers`, the combinations that count at least one consumer. */
function points(metric: MetricData | undefined): { attributes: Record<string, unknown>; value: unknown }[] {
  return (metric?.dataPoints ?? [])
    .map((p) => ({ attributes: p.attributes, value: p.value }))
    .filter((p) => metric?.descriptor.name !== METRIC_CONSUMERS || (p.value as number) > 0);
}

/** Collects until `accept` holds: BullMQ changes state asynchronously (connecting, closing). */
async function consumersUntil(
  sdk: InMemoryJoblens,
  accept: (found: { attributes: Record<string, unknown>; value: unknown }[]) => boolean,
) {
  for (;;) {
    const found = points(await sdk.metric(METRIC_CONSUMERS));
    if (accept(found)) return found;
    await sleep(20);
  }
}

describe('what a BullMQ worker is doing, reported with each metric export', () => {
  let sdk: InMemoryJoblens;
  const cleanups: (() => Promise<unknown>)[] = [];

  beforeAll(async () => {
    await ensureRedis();
  });
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => {});
    await sdk?.shutdown();
  });

  it('says running with a ready connection, then paused, then closed, and when it last fetched', async () => {
    sdk = startInMemoryJoblens();
    const name = `joblens-consumer-${randomUUID()}`;
    const queue = new Queue(name, { connection });
    cleanups.push(async () => {
      await queue.obliterate({ force: true });
      await queue.close();
    });
    const worker = new Worker(
      name,
      withJoblens(sdk.joblens, async () => 'done'),
      { connection },
    );
    cleanups.push(() => worker.close());
    const stop = observeWorker(sdk.joblens, worker);
    cleanups.push(async () => stop());

    const base = {
      [ATTR_MESSAGING_DESTINATION_NAME]: name,
      [ATTR_MESSAGING_SYSTEM]: MESSAGING_SYSTEM_BULLMQ,
    };
    const running = await consumersUntil(
      sdk,
      (found) => found[0]?.attributes[ATTR_CONSUMER_CONNECTION] === 'ready',
    );
    expect(running).toEqual([
      {
        attributes: { ...base, [ATTR_CONSUMER_STATE]: 'running', [ATTR_CONSUMER_CONNECTION]: 'ready' },
        value: 1,
      },
    ]);

    const before = Date.now();
    await queue.add('ping', {});
    let lastFetch: unknown;
    while (lastFetch === undefined) {
      lastFetch = points(await sdk.metric(METRIC_CONSUMER_LAST_FETCH_TIME))[0]?.value;
      await sleep(20);
    }
    expect(lastFetch).toBeGreaterThanOrEqual(Math.floor(before / 1000));

    await worker.pause(true);
    await consumersUntil(sdk, (found) => found[0]?.attributes[ATTR_CONSUMER_STATE] === 'paused');
    // The state it left reads 0, so a reader never sees it both running and paused.
    const all = (await sdk.metric(METRIC_CONSUMERS))?.dataPoints ?? [];
    const wasRunning = all.find(
      (p) =>
        p.attributes[ATTR_CONSUMER_STATE] === 'running' && p.attributes[ATTR_CONSUMER_CONNECTION] === 'ready',
    );
    expect(wasRunning?.value).toBe(0);
    await worker.close();
    const closed = await consumersUntil(
      sdk,
      (found) => found[0]?.attributes[ATTR_CONSUMER_STATE] === 'closed',
    );
    expect(closed).toHaveLength(1);

    stop();
    expect(points(await sdk.metric(METRIC_CONSUMERS))).toEqual([]);
    expect(sdk.errors).toEqual([]);
  });

  it('refuses a source that reports a state outside the documented ones, naming it', async () => {
    sdk = startInMemoryJoblens();
    sdk.joblens.watchConsumer({ queue: 'q', system: 'custom', sample: () => ({ state: 'dozing' as never }) });
    expect(points(await sdk.metric(METRIC_CONSUMERS))).toEqual([]);
    expect(sdk.errors.map((e) => `${e.message}: ${(e.cause as Error).message}`)).toEqual([
      'sampling the consumer of queue q: unknown state "dozing"',
    ]);
  });
});
