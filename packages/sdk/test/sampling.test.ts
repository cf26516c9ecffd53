import { ATTR_JOB_ID, ATTR_JOB_SAMPLED_REASON } from '@joblens/semconv';
import { afterEach, describe, expect, it } from 'vitest';
import { longestSilenceMillis } from '../src/sampling/longest-silence.js';
import { createSamplingDecider } from '../src/sampling/sampling-decision.js';
import { aJob, type InMemoryJoblens, sleep, startInMemoryJoblens } from './support/in-memory-joblens.js';

const policy = { keepOneInHealthy: 3, slowThresholdMillis: 10_000, gapThresholdMillis: 5000 };
const healthy = {
  failed: false,
  attempt: 1,
  durationMillis: 100,
  longestSilenceMillis: 50,
  diagnostic: false,
};

describe('the sampling decision', () => {
  it('keeps failed, retried, slow, gapped and diagnostic attempts, naming why', () => {
    const decide = createSamplingDecider(policy);
    expect(decide({ ...healthy, failed: true })).toBe('failed');
    expect(decide({ ...healthy, attempt: 2 })).toBe('retried');
    expect(decide({ ...healthy, durationMillis: 10_000 })).toBe('slow');
    expect(decide({ ...healthy, longestSilenceMillis: 5000 })).toBe('gap');
    expect(decide({ ...healthy, diagnostic: true })).toBe('diagnostic');
  });

  it('keeps exactly one in N healthy attempts, by count', () => {
    const decide = createSamplingDecider(policy);
    const kept = Array.from({ length: 9 }, () => decide(healthy));
    expect(kept).toEqual([
      'ratio',
      undefined,
      undefined,
      'ratio',
      undefined,
      undefined,
      'ratio',
      undefined,
      undefined,
    ]);
  });

  it('measures the longest silence between activity instants inside the attempt', () => {
    expect(longestSilenceMillis(0, 10_000, [1000, 2000, 8000])).toBe(6000);
    expect(longestSilenceMillis(0, 1000, [])).toBe(1000);
    expect(longestSilenceMillis(1000, 2000, [0, 5000])).toBe(1000);
  });
});

describe('the sampling span processor', () => {
  let sdk: InMemoryJoblens;
  afterEach(() => sdk?.shutdown());

  it('exports everything by default, with no sampled reason since nothing was sampled', async () => {
    sdk = startInMemoryJoblens();
    for (const id of ['1', '2', '3'])
      await sdk.joblens.runAttempt(aJob({ jobId: id }), (job) => job.step('s', () => id));
    const spans = await sdk.spans();
    expect(spans).toHaveLength(6);
    expect(spans.filter((s) => s.attributes[ATTR_JOB_SAMPLED_REASON] !== undefined)).toEqual([]);
  });

  it('names the reason ratio for the healthy attempts it keeps', async () => {
    sdk = startInMemoryJoblens({ sampling: { keepOneInHealthy: 2 } });
    for (const id of ['1', '2', '3', '4']) await sdk.joblens.runAttempt(aJob({ jobId: id }), () => id);
    const reasons = (await sdk.spans()).map((s) => s.attributes[ATTR_JOB_SAMPLED_REASON]);
    expect(reasons).toEqual(['ratio', 'ratio']);
  });

  it('drops healthy attempts beyond 1 in N together with their steps, and keeps failures', async () => {
    sdk = startInMemoryJoblens({ sampling: { keepOneInHealthy: 2 } });
    for (const id of ['1', '2', '3', '4'])
      await sdk.joblens.runAttempt(aJob({ jobId: id }), (job) => job.step(`step-${id}`, () => id));
    await sdk.joblens
      .runAttempt(aJob({ jobId: 'bad' }), (job) => job.step('step-bad', () => Promise.reject(new Error('x'))))
      .catch(() => {});
    const spans = await sdk.spans();
    const attempts = spans.filter((s) => s.attributes[ATTR_JOB_ID] !== undefined);
    expect(attempts.map((s) => [s.attributes[ATTR_JOB_ID], s.attributes[ATTR_JOB_SAMPLED_REASON]])).toEqual([
      ['1', 'ratio'],
      ['3', 'ratio'],
      ['bad', 'failed'],
    ]);
    expect(spans.filter((s) => s.attributes[ATTR_JOB_ID] === undefined).map((s) => s.name)).toEqual([
      'step-1',
      'step-3',
      'step-bad',
    ]);
  });

  it('keeps a healthy attempt with a silent gap between its steps', async () => {
    sdk = startInMemoryJoblens({ sampling: { keepOneInHealthy: 1000, gapThresholdMillis: 120 } });
    await sdk.joblens.runAttempt(aJob({ jobId: 'first' }), () => 'counted as the 1 in 1000');
    await sdk.joblens.runAttempt(aJob({ jobId: 'gapped' }), async (job) => {
      await job.step('fetch', () => sleep(5));
      await sleep(200);
      await job.step('upload', () => sleep(5));
    });
    await sdk.joblens.runAttempt(aJob({ jobId: 'quick' }), (job) => job.step('fetch', () => 1));
    const attempts = (await sdk.spans()).filter((s) => s.attributes[ATTR_JOB_ID] !== undefined);
    expect(attempts.map((s) => [s.attributes[ATTR_JOB_ID], s.attributes[ATTR_JOB_SAMPLED_REASON]])).toEqual([
      ['first', 'ratio'],
      ['gapped', 'gap'],
    ]);
  });

  it('keeps a slow attempt and a retried one', async () => {
    sdk = startInMemoryJoblens({
      sampling: { keepOneInHealthy: 1000, slowThresholdMillis: 100, gapThresholdMillis: 100_000 },
    });
    await sdk.joblens.runAttempt(aJob({ jobId: 'first' }), () => 1);
    await sdk.joblens.runAttempt(aJob({ jobId: 'slow' }), () => sleep(150));
    await sdk.joblens.runAttempt(aJob({ jobId: 'retried', attempt: 2 }), () => 1);
    const attempts = await sdk.spans();
    expect(attempts.map((s) => s.attributes[ATTR_JOB_SAMPLED_REASON])).toEqual(['ratio', 'slow', 'retried']);
  });

  it('keeps everything in diagnostic mode', async () => {
    sdk = startInMemoryJoblens({ sampling: { keepOneInHealthy: 1000 } });
    sdk.joblens.setDiagnosticMode(true);
    await sdk.joblens.runAttempt(aJob({ jobId: 'a' }), () => 1);
    await sdk.joblens.runAttempt(aJob({ jobId: 'b' }), () => 1);
    expect((await sdk.spans()).map((s) => s.attributes[ATTR_JOB_SAMPLED_REASON])).toEqual([
      'diagnostic',
      'diagnostic',
    ]);
  });

  it('bounds the spans buffered per attempt, counting the dropped ones', async () => {
    sdk = startInMemoryJoblens({ sampling: { keepOneInHealthy: 2, maxSpansPerAttempt: 5 } });
    await sdk.joblens.runAttempt(aJob(), async (job) => {
      for (let i = 0; i < 12; i++) await job.step(`s${i}`, () => i);
    });
    const spans = await sdk.spans();
    expect(spans).toHaveLength(6);
  });
});
