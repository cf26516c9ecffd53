import {
  ATTR_ERROR_TYPE,
  ATTR_JOB_CURRENT_STEP,
  ATTR_JOB_ELAPSED,
  ATTR_JOB_ID,
  ATTR_JOB_OUTCOME,
  ATTR_JOB_SILENCE,
  LOG_DIAGNOSTIC_MODE,
  LOG_JOB_ENDED,
  LOG_JOB_STARTED,
  LOG_JOB_STILL_RUNNING,
} from '@joblens/semconv';
import { SpanStatusCode } from '@opentelemetry/api';
import { afterEach, describe, expect, it } from 'vitest';
import { aJob, type InMemoryJoblens, sleep, startInMemoryJoblens } from './support/in-memory-joblens.js';

describe('hung-job log records', () => {
  let sdk: InMemoryJoblens;
  afterEach(() => sdk?.shutdown());

  it('writes job started and job ended records in the attempt span context when asked to at once', async () => {
    sdk = startInMemoryJoblens({ startedRecordDelayMillis: 0 });
    let ids = { traceId: '', spanId: '' };
    await sdk.joblens.runAttempt(aJob({ jobId: 'j-1' }), (job) => {
      ids = { traceId: job.traceId, spanId: job.spanId };
    });
    const logs = await sdk.logs();
    expect(logs.map((l) => l.eventName)).toEqual([LOG_JOB_STARTED, LOG_JOB_ENDED]);
    expect(logs.map((l) => l.body)).toEqual(['job started', 'job ended']);
    for (const log of logs) {
      expect(log.spanContext?.traceId).toBe(ids.traceId);
      expect(log.spanContext?.spanId).toBe(ids.spanId);
      expect(log.attributes[ATTR_JOB_ID]).toBe('j-1');
    }
    expect(logs[1].attributes[ATTR_JOB_OUTCOME]).toBe('completed');
  });

  it('puts the outcome and error type on the ended record of a failure', async () => {
    sdk = startInMemoryJoblens({ startedRecordDelayMillis: 0 });
    await sdk.joblens.runAttempt(aJob(), () => Promise.reject(new TypeError('nope'))).catch(() => {});
    const ended = (await sdk.logs()).find((l) => l.eventName === LOG_JOB_ENDED);
    expect(ended?.attributes).toMatchObject({ [ATTR_JOB_OUTCOME]: 'failed', [ATTR_ERROR_TYPE]: 'TypeError' });
  });

  it('leaves an attempt that ends within the delay to its span, without started or ended records', async () => {
    sdk = startInMemoryJoblens({ startedRecordDelayMillis: 200 });
    await sdk.joblens.runAttempt(aJob({ jobId: 'quick' }), () => sleep(5));
    await sleep(250);
    expect(await sdk.logs()).toEqual([]);
    expect((await sdk.spans()).map((s) => s.attributes[ATTR_JOB_ID])).toEqual(['quick']);
  });

  it('writes the started record of an attempt outlasting the delay, dated at its real start, then its end', async () => {
    sdk = startInMemoryJoblens({ startedRecordDelayMillis: 100 });
    const before = Date.now();
    let startedWhileRunning: string[] = [];
    await sdk.joblens.runAttempt(aJob({ jobId: 'slow' }), async () => {
      await sleep(250);
      startedWhileRunning = (await sdk.logs()).map((l) => String(l.eventName));
    });
    expect(startedWhileRunning).toEqual([LOG_JOB_STARTED]);
    const logs = await sdk.logs();
    expect(logs.map((l) => l.eventName)).toEqual([LOG_JOB_STARTED, LOG_JOB_ENDED]);
    const startedAtMs = logs[0].hrTime[0] * 1000 + logs[0].hrTime[1] / 1e6;
    expect(startedAtMs).toBeGreaterThanOrEqual(before - 1);
    expect(startedAtMs).toBeLessThan(before + 90);
    expect(logs[1].attributes[ATTR_JOB_OUTCOME]).toBe('completed');
  });

  it('writes started and ended records at once in diagnostic mode', async () => {
    sdk = startInMemoryJoblens({ diagnostic: { enabled: true } });
    await sdk.joblens.runAttempt(aJob(), () => 1);
    const jobRecords = (await sdk.logs()).filter((l) => l.eventName !== LOG_DIAGNOSTIC_MODE);
    expect(jobRecords.map((l) => l.eventName)).toEqual([LOG_JOB_STARTED, LOG_JOB_ENDED]);
  });

  it('reports a hanging step as still running, with growing silence, before the span ends', async () => {
    sdk = startInMemoryJoblens({ stillRunningIntervalMillis: 60 });
    let release: () => void = () => {};
    const hung = new Promise<void>((resolve) => {
      release = resolve;
    });
    let spanId = '';
    const running = sdk.joblens.runAttempt(aJob(), async (job) => {
      spanId = job.spanId;
      await job.step('fetch', () => sleep(5));
      await job.step('upload', () => hung);
    });
    await sleep(400);
    const whileHung = (await sdk.logs()).filter((l) => l.eventName === LOG_JOB_STILL_RUNNING);
    // The finished step is exported at once; the attempt span is still open.
    expect((await sdk.spans()).map((s) => s.name)).toEqual(['fetch']);
    expect(whileHung.length).toBeGreaterThanOrEqual(3);
    for (const record of whileHung) {
      expect(record.body).toBe('still running');
      expect(record.spanContext?.spanId).toBe(spanId);
      expect(record.attributes[ATTR_JOB_CURRENT_STEP]).toBe('upload');
    }
    const silences = whileHung.map((r) => Number(r.attributes[ATTR_JOB_SILENCE]));
    expect(silences[silences.length - 1]).toBeGreaterThan(silences[0]);
    expect(Number(whileHung[whileHung.length - 1].attributes[ATTR_JOB_ELAPSED])).toBeGreaterThanOrEqual(
      silences[silences.length - 1],
    );
    release();
    await running;
    const countAfterEnd = (await sdk.logs()).filter((l) => l.eventName === LOG_JOB_STILL_RUNNING).length;
    await sleep(200);
    expect((await sdk.logs()).filter((l) => l.eventName === LOG_JOB_STILL_RUNNING)).toHaveLength(
      countAfterEnd,
    );
    const attempt = (await sdk.spans()).find((s) => s.name === 'process emails');
    expect(attempt?.status.code).toBe(SpanStatusCode.OK);
  });

  it('resets silence when a checkpoint passes', async () => {
    sdk = startInMemoryJoblens({ stillRunningIntervalMillis: 50 });
    await sdk.joblens.runAttempt(aJob(), async (job) => {
      await sleep(180);
      job.checkpoint('half way');
      await sleep(70);
    });
    const records = (await sdk.logs()).filter((l) => l.eventName === LOG_JOB_STILL_RUNNING);
    const last = records[records.length - 1];
    expect(Number(last.attributes[ATTR_JOB_SILENCE])).toBeLessThan(0.15);
    expect(records.some((r) => Number(r.attributes[ATTR_JOB_SILENCE]) >= 0.1)).toBe(true);
    expect(last.attributes[ATTR_JOB_CURRENT_STEP]).toBeUndefined();
  });

  it('reports each of several running attempts with its own step, from one timer', async () => {
    sdk = startInMemoryJoblens({ stillRunningIntervalMillis: 50 });
    const releases: (() => void)[] = [];
    const hang = () => new Promise<void>((resolve) => releases.push(resolve));
    const first = sdk.joblens.runAttempt(aJob({ jobId: 'a' }), (job) => job.step('resize', hang));
    await sleep(20);
    const second = sdk.joblens.runAttempt(aJob({ jobId: 'b' }), (job) => job.step('upload', hang));
    await sleep(200);
    for (const release of releases) release();
    await Promise.all([first, second]);
    const records = (await sdk.logs()).filter((l) => l.eventName === LOG_JOB_STILL_RUNNING);
    const stepsOf = (id: string) =>
      new Set(
        records
          .filter((r) => r.attributes[ATTR_JOB_ID] === id)
          .map((r) => r.attributes[ATTR_JOB_CURRENT_STEP]),
      );
    expect(stepsOf('a')).toEqual(new Set(['resize']));
    expect(stepsOf('b')).toEqual(new Set(['upload']));
    expect(records.filter((r) => r.attributes[ATTR_JOB_ID] === 'b').length).toBeGreaterThanOrEqual(2);
  });
});
