import {
  ATTR_ERROR_TYPE,
  ATTR_JOB_ATTEMPT,
  ATTR_JOB_ID,
  ATTR_JOB_MAX_ATTEMPTS,
  ATTR_JOB_NAME,
  ATTR_JOB_OUTCOME,
  ATTR_JOB_QUEUE_WAIT,
  ATTR_JOB_RETRY_DELAY,
  ATTR_LINK_TYPE,
  ATTR_MESSAGING_DESTINATION_NAME,
  ATTR_MESSAGING_MESSAGE_ID,
  ATTR_MESSAGING_OPERATION_NAME,
  ATTR_MESSAGING_OPERATION_TYPE,
  ATTR_MESSAGING_SYSTEM,
  ATTR_SERVICE_INSTANCE_ID,
  ATTR_SERVICE_NAME,
  ATTR_WORKER_ID,
  attemptSpanName,
  EVENT_EXCEPTION,
  EVENT_JOB_COMPLETED,
  EVENT_JOB_FAILED,
  EVENT_JOB_FETCHED,
  EVENT_JOB_RETRY_SCHEDULED,
  EVENT_JOB_STARTED,
  LINK_TYPE_PREVIOUS_ATTEMPT,
  LINK_TYPE_PRODUCER,
  MESSAGING_OPERATION_PROCESS,
  MESSAGING_SYSTEM_GENERIC,
} from '@joblens/semconv';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { afterEach, describe, expect, it } from 'vitest';
import { aJob, type InMemoryJoblens, startInMemoryJoblens } from './support/in-memory-joblens.js';

class TimeoutError extends Error {}

const PRODUCER_TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const PRODUCER_SPAN = '00f067aa0ba902b7';
const producerCarrier = { traceparent: `00-${PRODUCER_TRACE}-${PRODUCER_SPAN}-01` };

describe('the attempt span', () => {
  let sdk: InMemoryJoblens;
  afterEach(() => sdk?.shutdown());

  it('is one CONSUMER span named after the queue, with the messaging and job attributes', async () => {
    sdk = startInMemoryJoblens();
    const readyAtMs = Date.now() - 2000;
    const result = await sdk.joblens.runAttempt(
      aJob({ jobId: '42', attempt: 1, maxAttempts: 3, readyAtMs }),
      () => 'sent',
    );
    expect(result).toBe('sent');

    const [span] = await sdk.spans();
    expect(span.name).toBe(attemptSpanName('emails'));
    expect(span.kind).toBe(SpanKind.CONSUMER);
    expect(span.attributes).toMatchObject({
      [ATTR_MESSAGING_SYSTEM]: MESSAGING_SYSTEM_GENERIC,
      [ATTR_MESSAGING_OPERATION_TYPE]: MESSAGING_OPERATION_PROCESS,
      [ATTR_MESSAGING_OPERATION_NAME]: MESSAGING_OPERATION_PROCESS,
      [ATTR_MESSAGING_DESTINATION_NAME]: 'emails',
      [ATTR_MESSAGING_MESSAGE_ID]: '42',
      [ATTR_JOB_ID]: '42',
      [ATTR_JOB_NAME]: 'send-welcome-email',
      [ATTR_JOB_ATTEMPT]: 1,
      [ATTR_JOB_MAX_ATTEMPTS]: 3,
      [ATTR_JOB_OUTCOME]: 'completed',
      [ATTR_WORKER_ID]: sdk.joblens.serviceInstanceId,
    });
    expect(span.attributes[ATTR_JOB_QUEUE_WAIT]).toBeGreaterThanOrEqual(2);
    expect(span.status.code).toBe(SpanStatusCode.OK);
    expect(span.events.map((e) => e.name)).toEqual([
      EVENT_JOB_FETCHED,
      EVENT_JOB_STARTED,
      EVENT_JOB_COMPLETED,
    ]);
    expect(span.resource.attributes[ATTR_SERVICE_INSTANCE_ID]).toBe(sdk.joblens.serviceInstanceId);
  });

  it('records a failure with error.type, an exception event and status ERROR, and rethrows the same error', async () => {
    sdk = startInMemoryJoblens();
    const thrown = new TimeoutError('smtp timed out');
    const caught = await sdk.joblens
      .runAttempt(
        aJob({
          attempt: 1,
          maxAttempts: 3,
          classifyFailure: () => ({ outcome: 'retry_scheduled', retryDelayMillis: 1500 }),
        }),
        () => {
          throw thrown;
        },
      )
      .catch((error: unknown) => error);
    expect(caught).toBe(thrown);

    const [span] = await sdk.spans();
    expect(span.status).toMatchObject({ code: SpanStatusCode.ERROR, message: 'smtp timed out' });
    expect(span.attributes).toMatchObject({
      [ATTR_ERROR_TYPE]: 'TimeoutError',
      [ATTR_JOB_OUTCOME]: 'retry_scheduled',
      [ATTR_JOB_RETRY_DELAY]: 1.5,
    });
    const names = span.events.map((e) => e.name);
    expect(names).toContain(EVENT_EXCEPTION);
    expect(names).toContain(EVENT_JOB_FAILED);
    expect(names).toContain(EVENT_JOB_RETRY_SCHEDULED);
  });

  it('uses the error code as error.type when the error has one', async () => {
    sdk = startInMemoryJoblens();
    const error = Object.assign(new Error('reset'), { code: 'ECONNRESET' });
    await expect(sdk.joblens.runAttempt(aJob(), () => Promise.reject(error))).rejects.toBe(error);
    const [span] = await sdk.spans();
    expect(span.attributes[ATTR_ERROR_TYPE]).toBe('ECONNRESET');
  });

  it.each([
    [{ attempt: 2, maxAttempts: 3 }, 'retry_scheduled'],
    [{ attempt: 3, maxAttempts: 3 }, 'exhausted'],
    [{ attempt: 1 }, 'failed'],
  ] as const)('derives the outcome of a failure from the retry policy %j', async (policy, outcome) => {
    sdk = startInMemoryJoblens();
    await sdk.joblens.runAttempt(aJob(policy), () => Promise.reject(new Error('no'))).catch(() => {});
    const [span] = await sdk.spans();
    expect(span.attributes[ATTR_JOB_OUTCOME]).toBe(outcome);
  });

  it('joins the producer trace and links to the producer and to the previous attempt', async () => {
    sdk = startInMemoryJoblens();
    let first = { traceId: '', spanId: '' };
    await sdk.joblens
      .runAttempt(aJob({ attempt: 1, maxAttempts: 2, producerCarrier }), (ctx) => {
        first = { traceId: ctx.traceId, spanId: ctx.spanId };
        throw new Error('first try fails');
      })
      .catch(() => {});
    await sdk.joblens.runAttempt(
      aJob({ attempt: 2, maxAttempts: 2, producerCarrier, previousAttempt: first }),
      () => 'ok',
    );

    const spans = await sdk.spans();
    expect(spans).toHaveLength(2);
    for (const span of spans) {
      expect(span.spanContext().traceId).toBe(PRODUCER_TRACE);
      expect(span.parentSpanContext?.spanId).toBe(PRODUCER_SPAN);
      const producerLink = span.links.find((l) => l.attributes?.[ATTR_LINK_TYPE] === LINK_TYPE_PRODUCER);
      expect(producerLink?.context.spanId).toBe(PRODUCER_SPAN);
    }
    const second = spans.find((s) => s.attributes[ATTR_JOB_ATTEMPT] === 2);
    const previousLink = second?.links.find(
      (l) => l.attributes?.[ATTR_LINK_TYPE] === LINK_TYPE_PREVIOUS_ATTEMPT,
    );
    expect(previousLink?.context.spanId).toBe(first.spanId);
  });

  it('starts a new root trace when the producer carrier is garbage', async () => {
    sdk = startInMemoryJoblens();
    await sdk.joblens.runAttempt(aJob({ producerCarrier: { traceparent: 'not-a-traceparent' } }), () => 1);
    const [span] = await sdk.spans();
    expect(span.parentSpanContext).toBeUndefined();
    expect(span.links).toHaveLength(0);
  });

  it('still runs the job, untraced, when the descriptor is unusable, and reports why', async () => {
    sdk = startInMemoryJoblens();
    const result = await sdk.joblens.runAttempt({ queue: '', jobName: 'x', jobId: '1' }, () => 'ran anyway');
    expect(result).toBe('ran anyway');
    expect(await sdk.spans()).toHaveLength(0);
    expect(sdk.errors.map((e) => String(e.cause))).toEqual([
      expect.stringContaining('queue must be a non-empty string'),
    ]);
  });

  it('keeps a throwing classifyFailure away from the job and falls back to the retry policy', async () => {
    sdk = startInMemoryJoblens();
    const thrown = new Error('job error');
    const descriptor = aJob({
      attempt: 1,
      maxAttempts: 2,
      classifyFailure: () => {
        throw new Error('classifier bug');
      },
    });
    await expect(sdk.joblens.runAttempt(descriptor, () => Promise.reject(thrown))).rejects.toBe(thrown);
    const [span] = await sdk.spans();
    expect(span.attributes[ATTR_JOB_OUTCOME]).toBe('retry_scheduled');
    expect(sdk.errors).toHaveLength(1);
  });

  it('keeps two instances with their own worker ids in one process apart', async () => {
    // Under one worker id a second start returns the first instance (start-up-guards.test.ts).
    sdk = startInMemoryJoblens({ serviceName: 'first', serviceInstanceId: 'first-1' });
    const second = startInMemoryJoblens({ serviceName: 'second', serviceInstanceId: 'second-1' });
    try {
      await sdk.joblens.runAttempt(aJob({ jobId: 'one' }), (job) => job.step('a', () => 1));
      await second.joblens.runAttempt(aJob({ jobId: 'two' }), (job) => job.step('b', () => 2));
      expect((await sdk.spans()).map((s) => s.name).sort()).toEqual(['a', 'process emails']);
      expect((await second.spans()).map((s) => s.name).sort()).toEqual(['b', 'process emails']);
      expect((await second.spans())[0].resource.attributes[ATTR_SERVICE_NAME]).toBe('second');
    } finally {
      await second.shutdown();
    }
  });

  it('survives a null descriptor and an onError that throws', async () => {
    sdk = startInMemoryJoblens({
      onError: () => {
        throw new Error('bad onError');
      },
    });
    expect(await sdk.joblens.runAttempt(null as never, () => 'still ran')).toBe('still ran');
  });

  it('runs jobs untraced after shutdown', async () => {
    sdk = startInMemoryJoblens();
    await sdk.joblens.shutdown();
    expect(await sdk.joblens.runAttempt(aJob(), (job) => job.step('s', () => 'after shutdown'))).toBe(
      'after shutdown',
    );
  });
});
