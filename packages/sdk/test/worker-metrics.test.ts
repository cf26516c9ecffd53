import {
  ATTR_ERROR_TYPE,
  ATTR_JOB_NAME,
  ATTR_JOB_OUTCOME,
  ATTR_MESSAGING_DESTINATION_NAME,
  ATTR_QUEUE_STATE,
  METRIC_ACTIVE_JOBS,
  METRIC_CONSUMED_MESSAGES,
  METRIC_EVENT_LOOP_DELAY_MAX,
  METRIC_EVENT_LOOP_DELAY_P99,
  METRIC_EVENT_LOOP_UTILIZATION,
  METRIC_JOB_OUTCOMES,
  METRIC_LAST_SUCCESS_TIME,
  METRIC_MAX_SILENCE,
  METRIC_OLDEST_ACTIVE_AGE,
  METRIC_PROCESS_DURATION,
  METRIC_QUEUE_DEPTH,
  METRIC_QUEUE_OLDEST_READY_AGE,
  METRIC_WORKER_HEARTBEATS,
} from '@joblens/semconv';
import type { DataPoint, Histogram, MetricData } from '@opentelemetry/sdk-metrics';
import { afterEach, describe, expect, it } from 'vitest';
import { aJob, type InMemoryJoblens, sleep, startInMemoryJoblens } from './support/in-memory-joblens.js';

function points(metric: MetricData | undefined): DataPoint<number>[] {
  return (metric?.dataPoints ?? []) as DataPoint<number>[];
}

describe('worker metrics', () => {
  let sdk: InMemoryJoblens;
  afterEach(() => sdk?.shutdown());

  it('counts outcomes, consumed jobs and durations by queue and job name, never by job id', async () => {
    sdk = startInMemoryJoblens();
    await sdk.joblens.runAttempt(aJob({ jobId: '1' }), () => 1);
    await sdk.joblens.runAttempt(aJob({ jobId: '2' }), () => 1);
    await sdk.joblens
      .runAttempt(aJob({ jobId: '3', attempt: 1, maxAttempts: 2 }), () => Promise.reject(new TypeError('x')))
      .catch(() => {});

    const outcomes = points(await sdk.metric(METRIC_JOB_OUTCOMES));
    const byOutcome = Object.fromEntries(outcomes.map((p) => [p.attributes[ATTR_JOB_OUTCOME], p.value]));
    expect(byOutcome).toEqual({ completed: 2, retry_scheduled: 1 });
    expect(outcomes[0].attributes).toMatchObject({
      [ATTR_MESSAGING_DESTINATION_NAME]: 'emails',
      [ATTR_JOB_NAME]: 'send-welcome-email',
    });
    for (const metricName of [METRIC_JOB_OUTCOMES, METRIC_CONSUMED_MESSAGES, METRIC_PROCESS_DURATION]) {
      for (const point of points(await sdk.metric(metricName))) {
        expect(Object.values(point.attributes)).not.toContain('1');
      }
    }
    expect(points(await sdk.metric(METRIC_CONSUMED_MESSAGES))[0].value).toBe(3);

    const durations = (await sdk.metric(METRIC_PROCESS_DURATION))?.dataPoints as DataPoint<Histogram>[];
    expect(durations.find((p) => p.attributes[ATTR_ERROR_TYPE] === undefined)?.value.count).toBe(2);
    expect(durations.find((p) => p.attributes[ATTR_ERROR_TYPE] === 'TypeError')?.value.count).toBe(1);
    expect((await sdk.metric(METRIC_PROCESS_DURATION))?.descriptor.unit).toBe('s');
  });

  it('reports the last success time per queue in unix seconds', async () => {
    sdk = startInMemoryJoblens();
    const before = Date.now() / 1000;
    await sdk.joblens.runAttempt(aJob({ queue: 'reports' }), () => 1);
    const [point] = points(await sdk.metric(METRIC_LAST_SUCCESS_TIME));
    expect(point.attributes[ATTR_MESSAGING_DESTINATION_NAME]).toBe('reports');
    expect(point.value).toBeGreaterThanOrEqual(before - 1);
    expect(point.value).toBeLessThanOrEqual(Date.now() / 1000 + 1);
  });

  it('reports running jobs, the oldest one and the longest silence while a job runs', async () => {
    sdk = startInMemoryJoblens();
    let release: () => void = () => {};
    const running = sdk.joblens.runAttempt(aJob(), () => new Promise<void>((r) => (release = r)));
    await sleep(150);
    expect(points(await sdk.metric(METRIC_ACTIVE_JOBS))[0].value).toBe(1);
    expect(points(await sdk.metric(METRIC_OLDEST_ACTIVE_AGE))[0].value).toBeGreaterThanOrEqual(0.1);
    expect(points(await sdk.metric(METRIC_MAX_SILENCE))[0].value).toBeGreaterThanOrEqual(0.1);
    release();
    await running;
    expect(points(await sdk.metric(METRIC_ACTIVE_JOBS))[0].value).toBe(0);
    expect(points(await sdk.metric(METRIC_OLDEST_ACTIVE_AGE))[0].value).toBe(0);
  });

  it('counts heartbeats by interval, not by collection', async () => {
    sdk = startInMemoryJoblens({ metricExportIntervalMillis: 100 });
    const values: number[] = [];
    for (let i = 0; i < 5; i++) values.push(points(await sdk.metric(METRIC_WORKER_HEARTBEATS))[0].value);
    // Five quick collections stay within one interval boundary; counting per collection would add 4.
    expect(Math.max(...values) - Math.min(...values)).toBeLessThanOrEqual(1);
    const first = values[values.length - 1];
    await sleep(250);
    expect(points(await sdk.metric(METRIC_WORKER_HEARTBEATS))[0].value).toBeGreaterThanOrEqual(first + 2);
  });

  it('samples watched queues by state, and reports a failing source without losing the others', async () => {
    sdk = startInMemoryJoblens();
    sdk.joblens.watchQueue({
      queue: 'emails',
      system: 'bullmq',
      sample: async () => ({ counts: { waiting: 4, active: 1, delayed: 2 }, oldestReadyAgeSeconds: 12.5 }),
    });
    sdk.joblens.watchQueue({
      queue: 'broken',
      system: 'bullmq',
      sample: async () => {
        throw new Error('redis down');
      },
    });
    const depth = points(await sdk.metric(METRIC_QUEUE_DEPTH));
    expect(Object.fromEntries(depth.map((p) => [p.attributes[ATTR_QUEUE_STATE], p.value]))).toEqual({
      waiting: 4,
      active: 1,
      delayed: 2,
    });
    const [age] = points(await sdk.metric(METRIC_QUEUE_OLDEST_READY_AGE));
    expect(age.value).toBe(12.5);
    expect(age.attributes[ATTR_MESSAGING_DESTINATION_NAME]).toBe('emails');
    expect(sdk.errors.some((e) => e.message.includes('sampling queue broken'))).toBe(true);
  });

  it('gives up on a queue source that hangs, within the sample timeout', async () => {
    sdk = startInMemoryJoblens({ exportTimeoutMillis: 200 });
    sdk.joblens.watchQueue({ queue: 'stuck', system: 'bullmq', sample: () => new Promise(() => {}) });
    expect(points(await sdk.metric(METRIC_QUEUE_DEPTH))).toHaveLength(0);
    expect(sdk.errors.some((e) => e.message.includes('took longer than 200 ms'))).toBe(true);
  });

  it('stops sampling a queue once unwatched', async () => {
    sdk = startInMemoryJoblens();
    let calls = 0;
    const unwatch = sdk.joblens.watchQueue({
      queue: 'q',
      system: 'bullmq',
      sample: async () => {
        calls++;
        return { counts: { waiting: 1 }, oldestReadyAgeSeconds: 0 };
      },
    });
    await sdk.metric(METRIC_QUEUE_DEPTH);
    unwatch();
    await sdk.metric(METRIC_QUEUE_DEPTH);
    expect(calls).toBe(1);
  });

  it('reports event-loop delay and utilization in seconds and ratio', async () => {
    sdk = startInMemoryJoblens();
    await sleep(50);
    const p99 = await sdk.metric(METRIC_EVENT_LOOP_DELAY_P99);
    expect(p99?.descriptor.unit).toBe('s');
    expect(points(p99)[0].value).toBeGreaterThan(0);
    expect(points(p99)[0].value).toBeLessThan(5);
    expect(points(await sdk.metric(METRIC_EVENT_LOOP_DELAY_MAX))[0].value).toBeGreaterThanOrEqual(0);
    const utilization = points(await sdk.metric(METRIC_EVENT_LOOP_UTILIZATION))[0].value;
    expect(utilization).toBeGreaterThanOrEqual(0);
    expect(utilization).toBeLessThanOrEqual(1);
  });
});
