import { DelayedError, UnrecoverableError } from 'bullmq';
import { describe, expect, it } from 'vitest';
import { classifyBullmqFailure } from '../src/adapters/bullmq/classify-bullmq-failure.js';
import { bullmqRetryDelayMillis } from '../src/adapters/bullmq/retry-delay.js';

type JobShape = Parameters<typeof classifyBullmqFailure>[0];

function aJob(opts: JobShape['opts'], attemptsMade = 0): JobShape {
  return { opts, attemptsMade };
}

describe('bullmqRetryDelayMillis', () => {
  it('waits the fixed delay before every retry', () => {
    const job = aJob({ backoff: { type: 'fixed', delay: 250 } });
    expect([1, 2, 3].map((attempt) => bullmqRetryDelayMillis(job, attempt))).toEqual([250, 250, 250]);
  });

  it('doubles an exponential delay with each attempt, as BullMQ does', () => {
    const job = aJob({ backoff: { type: 'exponential', delay: 100 } });
    expect([1, 2, 3, 4].map((attempt) => bullmqRetryDelayMillis(job, attempt))).toEqual([100, 200, 400, 800]);
  });

  it('takes the middle of the range when the backoff has jitter', () => {
    const job = aJob({ backoff: { type: 'exponential', delay: 1000, jitter: 0.5 } });
    expect(bullmqRetryDelayMillis(job, 2)).toBe(1500);
  });

  it('reads a bare number as a fixed delay and no backoff as an immediate retry', () => {
    expect(bullmqRetryDelayMillis(aJob({ backoff: 300 }), 2)).toBe(300);
    expect(bullmqRetryDelayMillis(aJob({}), 2)).toBe(0);
  });

  it('does not guess the delay of a custom strategy', () => {
    expect(bullmqRetryDelayMillis(aJob({ backoff: { type: 'linear-ish', delay: 10 } }), 2)).toBeUndefined();
  });
});

describe('classifyBullmqFailure', () => {
  it('schedules a retry while attempts remain, with the backoff delay', () => {
    const job = aJob({ attempts: 3, backoff: { type: 'exponential', delay: 100 } }, 1);
    expect(classifyBullmqFailure(job, new Error('boom'))).toEqual({
      outcome: 'retry_scheduled',
      retryDelayMillis: 200,
    });
  });

  it('exhausts the job on its last attempt, and on the only one when attempts is not set', () => {
    expect(classifyBullmqFailure(aJob({ attempts: 3 }, 2), new Error('boom')).outcome).toBe('exhausted');
    expect(classifyBullmqFailure(aJob({}, 0), new Error('boom')).outcome).toBe('exhausted');
  });

  it('exhausts the job at once on an UnrecoverableError or after job.discard()', () => {
    expect(classifyBullmqFailure(aJob({ attempts: 5 }), new UnrecoverableError('bad input')).outcome).toBe(
      'exhausted',
    );
    const discarded = { ...aJob({ attempts: 5 }), discarded: true };
    expect(classifyBullmqFailure(discarded, new Error('boom')).outcome).toBe('exhausted');
  });

  it('treats a DelayedError as the job parking itself for later, not as a failure that ends it', () => {
    expect(classifyBullmqFailure(aJob({ attempts: 1 }), new DelayedError()).outcome).toBe('retry_scheduled');
  });
});
