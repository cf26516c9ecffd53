import { randomBytes, randomUUID } from 'node:crypto';
import {
  ATTR_JOB_ATTEMPT,
  ATTR_JOB_ID,
  ATTR_JOB_MAX_ATTEMPTS,
  ATTR_JOB_NAME,
  ATTR_JOB_OUTCOME,
  ATTR_JOB_QUEUE_WAIT,
  ATTR_JOB_RETRY_DELAY,
  ATTR_LINK_TYPE,
  ATTR_MESSAGING_DESTINATION_NAME,
  ATTR_MESSAGING_SYSTEM,
  ATTR_QUEUE_STATE,
  LINK_TYPE_PREVIOUS_ATTEMPT,
  LINK_TYPE_PRODUCER,
  MESSAGING_SYSTEM_BULLMQ,
  METRIC_QUEUE_DEPTH,
  METRIC_QUEUE_OLDEST_READY_AGE,
} from '@joblens/semconv';
import {
  ensureRedis,
  type OtlpJsonReceiver,
  REDIS_URL,
  type ReceivedSpan,
  startOtlpJsonReceiver,
} from '@joblens/test-utils';
import { ROOT_CONTEXT, TraceFlags, trace } from '@opentelemetry/api';
import { type Job, Queue, UnrecoverableError, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  createBullmqQueueStatsSource,
  injectJobContext,
  observeWorker,
  withJoblens,
} from '../src/adapters/bullmq/index.js';
import type { Joblens } from '../src/interfaces.js';
import { startJoblens } from '../src/start-joblens.js';

const url = new URL(REDIS_URL);
const connection = { host: url.hostname, port: Number(url.port || 6379), maxRetriesPerRequest: null };

let rx: OtlpJsonReceiver;
let joblens: Joblens;
let redis: Redis;
const errors: Error[] = [];
const cleanups: (() => Promise<unknown>)[] = [];

beforeAll(async () => {
  await ensureRedis();
  redis = new Redis({ ...connection, lazyConnect: false });
  rx = await startOtlpJsonReceiver();
  joblens = startJoblens({
    serviceName: 'bullmq-adapter-test',
    endpoint: rx.url,
    protocol: 'http/json',
    metricExportIntervalMillis: 60_000,
    flushOnSignals: false,
    onError: (error) => errors.push(error),
  });
});

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => {});
});

afterAll(async () => {
  await joblens?.shutdown();
  await rx?.close();
  redis?.disconnect();
});

/** A queue with a name no other test uses; removed with everything joblens kept for it after the test. */
function freshQueue(): { name: string; queue: Queue } {
  const name = `joblens-test-${randomUUID()}`;
  const queue = new Queue(name, { connection });
  cleanups.push(async () => {
    await queue.obliterate({ force: true });
    await queue.close();
    const leftovers = await redis.keys(`bull:${name}:*`);
    if (leftovers.length > 0) await redis.del(...leftovers);
  });
  return { name, queue };
}

function startWorker(worker: Worker): Worker {
  cleanups.push(() => worker.close(true));
  return worker;
}

function producerContext() {
  return trace.setSpanContext(ROOT_CONTEXT, {
    traceId: randomBytes(16).toString('hex'),
    spanId: randomBytes(8).toString('hex'),
    traceFlags: TraceFlags.SAMPLED,
  });
}

/** BullMQ numbers jobs per queue, so a job is its queue and its id. */
function attemptSpansOf(job: Job): ReceivedSpan[] {
  return rx.spans
    .filter(
      (span) =>
        span.attributes[ATTR_JOB_ID] === job.id &&
        span.attributes[ATTR_MESSAGING_DESTINATION_NAME] === job.queueName,
    )
    .sort((a, b) => Number(a.attributes[ATTR_JOB_ATTEMPT]) - Number(b.attributes[ATTR_JOB_ATTEMPT]));
}

async function waitForSpans(job: Job, count: number): Promise<ReceivedSpan[]> {
  await joblens.forceFlush();
  return rx.waitFor(() => {
    const spans = attemptSpansOf(job);
    return spans.length >= count && spans;
  });
}

function linksOf(span: ReceivedSpan, type: string) {
  return span.links.filter((link) => link.attributes[ATTR_LINK_TYPE] === type);
}

function finished(worker: Worker, job: Job, event: 'completed' | 'failed'): Promise<void> {
  return new Promise((resolve) => {
    const listener = (done: Job) => {
      if (done.id === job.id) {
        worker.off(event, listener);
        resolve();
      }
    };
    worker.on(event, listener);
  });
}

describe('withJoblens on a real BullMQ worker', () => {
  it('hands the abort signal to a processor that declares it, and asks for none for one that does not', async () => {
    const { name, queue } = freshQueue();
    const seen: string[] = [];
    const withSignal = startWorker(
      new Worker(
        name,
        withJoblens(joblens, async (job, _token, signal) => {
          seen.push(`${job.name}:${signal instanceof AbortSignal}`);
        }),
        { connection },
      ),
    );
    const firstDone = new Promise((resolve) => withSignal.once('completed', resolve));
    await queue.add('with-signal', {});
    await firstDone;
    await withSignal.close();
    const { name: otherName, queue: otherQueue } = freshQueue();
    const wrapped = withJoblens(joblens, async (job) => {
      seen.push(`${job.name}:ok`);
    });
    // BullMQ makes an AbortController per job for processors of three or more parameters.
    expect(wrapped.length).toBeLessThan(3);
    const withoutSignal = startWorker(new Worker(otherName, wrapped, { connection }));
    const secondDone = new Promise((resolve) => withoutSignal.once('completed', resolve));
    await otherQueue.add('without-signal', {});
    await secondDone;
    expect(seen).toEqual(['with-signal:true', 'without-signal:ok']);
  });

  it('records a job that fails twice then succeeds as three linked attempts in the producer trace', async () => {
    const { name, queue } = freshQueue();
    const producer = producerContext();
    const producerSpan = trace.getSpanContext(producer)!;
    const job = await queue.add(
      'resize-image',
      { image: 'cat.png' },
      injectJobContext({ attempts: 3, backoff: { type: 'fixed', delay: 50 } }, producer),
    );
    const worker = startWorker(
      new Worker(
        name,
        withJoblens(joblens, async (current) => {
          if (current.attemptsMade < 2) throw new Error(`transient failure ${current.attemptsMade + 1}`);
          return 'resized';
        }),
        { connection },
      ),
    );
    await finished(worker, job, 'completed');

    const spans = await waitForSpans(job, 3);
    expect(spans).toHaveLength(3);
    expect(spans.map((span) => span.attributes[ATTR_JOB_ATTEMPT])).toEqual([1, 2, 3]);
    expect(spans.map((span) => span.attributes[ATTR_JOB_OUTCOME])).toEqual([
      'retry_scheduled',
      'retry_scheduled',
      'completed',
    ]);
    for (const span of spans) {
      expect(span.attributes).toMatchObject({
        [ATTR_MESSAGING_SYSTEM]: MESSAGING_SYSTEM_BULLMQ,
        [ATTR_MESSAGING_DESTINATION_NAME]: name,
        [ATTR_JOB_NAME]: 'resize-image',
        [ATTR_JOB_MAX_ATTEMPTS]: 3,
      });
      expect(span.traceId).toBe(producerSpan.traceId);
      expect(span.parentSpanId).toBe(producerSpan.spanId);
      expect(linksOf(span, LINK_TYPE_PRODUCER).map((link) => link.spanId)).toEqual([producerSpan.spanId]);
    }
    expect(spans[0].attributes[ATTR_JOB_RETRY_DELAY]).toBe(0.05);
    // A retry waited from the end of its backoff, not from when the job was first enqueued.
    const startMs = (span: ReceivedSpan) => Number(span.startTimeUnixNano / 1_000_000n);
    expect(spans[0].attributes[ATTR_JOB_QUEUE_WAIT]).toBeCloseTo(
      (startMs(spans[0]) - job.timestamp) / 1000,
      1,
    );
    // Attempt 2 failed after it started and its backoff was 50 ms, so attempt 3 waited at most this;
    // counted from the enqueue time instead, it would have waited longer than attempt 2 even ran.
    expect(spans[2].attributes[ATTR_JOB_QUEUE_WAIT]).toBeLessThanOrEqual(
      (startMs(spans[2]) - startMs(spans[1])) / 1000 - 0.04,
    );
    expect(errors).toEqual([]);
    expect(linksOf(spans[0], LINK_TYPE_PREVIOUS_ATTEMPT)).toEqual([]);
    expect(linksOf(spans[1], LINK_TYPE_PREVIOUS_ATTEMPT).map((link) => link.spanId)).toEqual([
      spans[0].spanId,
    ]);
    expect(linksOf(spans[2], LINK_TYPE_PREVIOUS_ATTEMPT).map((link) => link.spanId)).toEqual([
      spans[1].spanId,
    ]);
  });

  it('joins a producer trace carried in the job data, as generic producers send it', async () => {
    const { name, queue } = freshQueue();
    const producer = trace.getSpanContext(producerContext())!;
    const traceparent = `00-${producer.traceId}-${producer.spanId}-01`;
    const job = await queue.add('ship-order', { orderId: 7, trace: { traceparent } });
    const worker = startWorker(
      new Worker(
        name,
        withJoblens(joblens, async () => 'shipped'),
        { connection },
      ),
    );
    await finished(worker, job, 'completed');
    const [span] = await waitForSpans(job, 1);
    expect(span.traceId).toBe(producer.traceId);
    expect(span.parentSpanId).toBe(producer.spanId);
  });

  it('marks the last allowed attempt and an UnrecoverableError as exhausted', async () => {
    const { name, queue } = freshQueue();
    const flaky = await queue.add('sync-account', {}, { attempts: 2 });
    const poison = await queue.add('parse-feed', {}, { attempts: 5 });
    const worker = startWorker(
      new Worker(
        name,
        withJoblens(joblens, async (current) => {
          if (current.name === 'parse-feed') throw new UnrecoverableError('malformed feed');
          throw new Error('upstream down');
        }),
        { connection },
      ),
    );
    await Promise.all([finished(worker, flaky, 'failed'), finished(worker, poison, 'failed')]);

    const flakySpans = await waitForSpans(flaky, 2);
    expect(flakySpans.map((span) => span.attributes[ATTR_JOB_OUTCOME])).toEqual([
      'retry_scheduled',
      'exhausted',
    ]);
    const [poisonSpan] = await waitForSpans(poison, 1);
    expect(poisonSpan.attributes[ATTR_JOB_OUTCOME]).toBe('exhausted');
    expect(attemptSpansOf(poison)).toHaveLength(1);
  });

  it('records a stalled job as an attempt with outcome stalled, then its completed retry', async () => {
    const { name, queue } = freshQueue();
    const producer = trace.getSpanContext(producerContext())!;
    const job = await queue.add(
      'export-report',
      {},
      injectJobContext({}, trace.setSpanContext(ROOT_CONTEXT, producer)),
    );
    // A worker that takes the job and then never renews its lock: as good as dead.
    const dead = startWorker(
      new Worker(name, () => new Promise(() => {}), {
        connection,
        lockDuration: 400,
        skipLockRenewal: true,
        skipStalledCheck: true,
      }),
    );
    await new Promise<void>((resolve) => dead.once('active', () => resolve()));
    await dead.pause(true).catch(() => {});

    const observer = startWorker(
      new Worker(
        name,
        withJoblens(joblens, async () => 'exported'),
        { connection, stalledInterval: 300 },
      ),
    );
    const stopObserving = observeWorker(joblens, observer);
    cleanups.push(async () => stopObserving());
    await finished(observer, job, 'completed');

    const spans = await waitForSpans(job, 2);
    const outcomes = spans.map((span) => span.attributes[ATTR_JOB_OUTCOME]);
    expect(outcomes).toContain('stalled');
    expect(outcomes).toContain('completed');
    const stalled = spans.find((span) => span.attributes[ATTR_JOB_OUTCOME] === 'stalled')!;
    expect(stalled.attributes[ATTR_JOB_NAME]).toBe('export-report');
    expect(spans.map((span) => span.traceId)).toEqual([producer.traceId, producer.traceId]);
  });
});

describe('createBullmqQueueStatsSource', () => {
  it('counts jobs by state and ages the oldest ready job, leaving delayed jobs out', async () => {
    const { name, queue } = freshQueue();
    const delayed = await queue.add('later', {}, { delay: 60_000 });
    await new Promise((resolve) => setTimeout(resolve, 150));
    const lowPriority = await queue.add('bulk-email', {}, { priority: 10 });
    await new Promise((resolve) => setTimeout(resolve, 150));
    await queue.add('urgent-email', {}, { priority: 1 });
    const firstWaiting = await queue.add('receipt', {});
    await queue.add('receipt', {});

    const source = createBullmqQueueStatsSource(queue);
    expect(source.queue).toBe(name);
    expect(source.system).toBe(MESSAGING_SYSTEM_BULLMQ);
    const before = Date.now();
    const stats = await source.sample();
    const after = Date.now();

    expect(stats.counts).toMatchObject({ waiting: 2, delayed: 1, prioritized: 2, active: 0, failed: 0 });
    // The low-priority job is the oldest ready one; the delayed job is older but not ready.
    expect(stats.oldestReadyAgeSeconds).toBeGreaterThanOrEqual((before - lowPriority.timestamp) / 1000);
    expect(stats.oldestReadyAgeSeconds).toBeLessThanOrEqual((after - lowPriority.timestamp) / 1000);
    expect(stats.oldestReadyAgeSeconds).toBeLessThan((before - delayed.timestamp) / 1000);
    expect(firstWaiting.timestamp).toBeGreaterThan(lowPriority.timestamp);
  });

  it('reports zero age for a queue with only delayed jobs', async () => {
    const { queue } = freshQueue();
    await queue.add('later', {}, { delay: 60_000 });
    const stats = await createBullmqQueueStatsSource(queue).sample();
    expect(stats.counts.delayed).toBe(1);
    expect(stats.oldestReadyAgeSeconds).toBe(0);
  });

  it('feeds the queue depth and oldest-ready-age metrics the SDK exports', async () => {
    const { name, queue } = freshQueue();
    await queue.add('later', {}, { delay: 60_000 });
    const waiting = await queue.add('now', {});
    await new Promise((resolve) => setTimeout(resolve, 100));
    const unwatch = joblens.watchQueue(createBullmqQueueStatsSource(queue));
    cleanups.push(async () => unwatch());
    await joblens.forceFlush();

    const depth = await rx.waitFor(() =>
      rx.metrics.find(
        (metric) =>
          metric.name === METRIC_QUEUE_DEPTH &&
          metric.points.some((point) => point.attributes[ATTR_MESSAGING_DESTINATION_NAME] === name),
      ),
    );
    const byState = Object.fromEntries(
      depth.points
        .filter((point) => point.attributes[ATTR_MESSAGING_DESTINATION_NAME] === name)
        .map((point) => [point.attributes[ATTR_QUEUE_STATE], point.value]),
    );
    expect(byState).toMatchObject({ waiting: 1, delayed: 1, active: 0 });

    const age = rx.metrics.find(
      (metric) =>
        metric.name === METRIC_QUEUE_OLDEST_READY_AGE &&
        metric.points.some((point) => point.attributes[ATTR_MESSAGING_DESTINATION_NAME] === name),
    );
    const agePoint = age?.points.find((point) => point.attributes[ATTR_MESSAGING_DESTINATION_NAME] === name);
    expect(agePoint?.value).toBeGreaterThanOrEqual(0.1);
    expect(agePoint?.value).toBeLessThan((Date.now() - waiting.timestamp) / 1000);
  });
});
