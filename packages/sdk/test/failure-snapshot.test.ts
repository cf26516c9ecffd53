import {
  ATTR_JOB_ATTEMPT,
  ATTR_JOB_CURRENT_STEP,
  ATTR_JOB_ID,
  ATTR_SNAPSHOT_ACTIVE_JOBS,
  ATTR_SNAPSHOT_CPU,
  ATTR_SNAPSHOT_EVENT_LOOP_DELAY,
  ATTR_SNAPSHOT_HEAP_USED,
  ATTR_SNAPSHOT_LAST_CHECKPOINT,
  ATTR_SNAPSHOT_QUEUE_DEPTH,
  ATTR_SNAPSHOT_RSS,
  EVENT_FAILURE_SNAPSHOT,
  LOG_FAILURE_SNAPSHOT,
  METRIC_QUEUE_DEPTH,
} from '@joblens/semconv';
import { afterEach, describe, expect, it } from 'vitest';
import { aJob, type InMemoryJoblens, sleep, startInMemoryJoblens } from './support/in-memory-joblens.js';

/** Burns this much CPU time (not wall time: the machine may be busy). */
function burnCpu(millis: number): void {
  const start = process.cpuUsage();
  for (;;) {
    for (let i = 0; i < 10_000; i++) Math.sqrt(Math.random());
    const used = process.cpuUsage(start);
    if ((used.user + used.system) / 1000 >= millis) return;
  }
}

describe('the failure snapshot', () => {
  let sdk: InMemoryJoblens;
  afterEach(() => sdk?.shutdown());

  it('describes where the attempt failed and how the worker looked, on the span and as a log record', async () => {
    sdk = startInMemoryJoblens();
    sdk.joblens.watchQueue({
      queue: 'emails',
      system: 'joblens',
      sample: async () => ({ counts: { waiting: 7, prioritized: 2, delayed: 40 }, oldestReadyAgeSeconds: 3 }),
    });
    await sdk.metric(METRIC_QUEUE_DEPTH); // one metric collection samples the queue

    let releaseOther: () => void = () => {};
    const other = sdk.joblens.runAttempt(
      aJob({ jobId: 'other' }),
      () => new Promise<void>((r) => (releaseOther = r)),
    );
    await sdk.joblens
      .runAttempt(aJob({ jobId: 'broken', attempt: 2, maxAttempts: 5 }), async (job) => {
        job.checkpoint('rows-loaded', { rows: 10 });
        await job.step('render', async () => {
          burnCpu(30);
          throw new Error('template missing');
        });
      })
      .catch(() => {});
    releaseOther();
    await other;

    const attempt = (await sdk.spans()).find((s) => s.attributes[ATTR_JOB_ID] === 'broken');
    const event = attempt?.events.find((e) => e.name === EVENT_FAILURE_SNAPSHOT);
    expect(event?.attributes).toMatchObject({
      [ATTR_JOB_ID]: 'broken',
      [ATTR_JOB_ATTEMPT]: 2,
      [ATTR_JOB_CURRENT_STEP]: 'render',
      [ATTR_SNAPSHOT_QUEUE_DEPTH]: 9,
      [ATTR_SNAPSHOT_ACTIVE_JOBS]: 2,
      [ATTR_SNAPSHOT_LAST_CHECKPOINT]: 'rows-loaded',
    });
    expect(event?.attributes?.[ATTR_SNAPSHOT_HEAP_USED]).toBeGreaterThan(0);
    expect(event?.attributes?.[ATTR_SNAPSHOT_RSS]).toBeGreaterThan(0);
    expect(event?.attributes?.[ATTR_SNAPSHOT_CPU]).toBeGreaterThanOrEqual(0.02);
    expect(event?.attributes?.[ATTR_SNAPSHOT_EVENT_LOOP_DELAY]).toBeGreaterThanOrEqual(0);

    const record = (await sdk.logs()).find((l) => l.eventName === LOG_FAILURE_SNAPSHOT);
    expect(record?.body).toBe('failure snapshot');
    expect(record?.spanContext?.spanId).toBe(attempt?.spanContext().spanId);
    expect(record?.attributes).toMatchObject({
      [ATTR_JOB_CURRENT_STEP]: 'render',
      [ATTR_SNAPSHOT_QUEUE_DEPTH]: 9,
    });
  });

  it('counts CPU since the previous snapshot, not since the process started', async () => {
    sdk = startInMemoryJoblens();
    const fail = () => sdk.joblens.runAttempt(aJob(), () => Promise.reject(new Error('x'))).catch(() => {});
    burnCpu(150);
    await fail();
    await sleep(20);
    await fail();
    const cpu = (await sdk.spans()).map((s) =>
      Number(s.events.find((e) => e.name === EVENT_FAILURE_SNAPSHOT)?.attributes?.[ATTR_SNAPSHOT_CPU]),
    );
    expect(cpu[0]).toBeGreaterThanOrEqual(0.15);
    expect(cpu[1]).toBeLessThan(cpu[0]);
  });

  it('leaves the queue depth out when the queue is not watched, and has no snapshot on success', async () => {
    sdk = startInMemoryJoblens();
    await sdk.joblens.runAttempt(aJob({ jobId: 'ok' }), () => 1);
    await sdk.joblens
      .runAttempt(aJob({ jobId: 'bad' }), () => Promise.reject(new Error('x')))
      .catch(() => {});
    const spans = await sdk.spans();
    expect(
      spans
        .find((s) => s.attributes[ATTR_JOB_ID] === 'ok')
        ?.events.some((e) => e.name === EVENT_FAILURE_SNAPSHOT),
    ).toBe(false);
    const snapshot = spans
      .find((s) => s.attributes[ATTR_JOB_ID] === 'bad')
      ?.events.find((e) => e.name === EVENT_FAILURE_SNAPSHOT);
    expect(snapshot?.attributes?.[ATTR_SNAPSHOT_QUEUE_DEPTH]).toBeUndefined();
    expect(snapshot?.attributes?.[ATTR_JOB_CURRENT_STEP]).toBeUndefined();
  });
});
