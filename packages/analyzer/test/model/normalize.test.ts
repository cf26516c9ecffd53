import { SPAN_KIND, type SpanRecord, STATUS_CODE } from '@joblens/otlp-receiver';
import {
  ATTR_BULLMQ_JOB_ATTEMPTS_MADE,
  ATTR_BULLMQ_JOB_FAILED_REASON,
  ATTR_BULLMQ_JOB_ID,
  ATTR_BULLMQ_JOB_NAME,
  ATTR_BULLMQ_QUEUE_NAME,
  ATTR_BULLMQ_WORKER_NAME,
  ATTR_EXCEPTION_MESSAGE,
  ATTR_EXCEPTION_TYPE,
  ATTR_JOB_ATTEMPT,
  ATTR_JOB_MAX_ATTEMPTS,
  ATTR_MESSAGING_SYSTEM,
} from '@joblens/semconv';
import {
  makeAttemptSpan,
  makeEventLoopBlockedLog,
  makeJobLog,
  makeResource,
  makeSpanId,
  makeStepSpan,
  makeTraceId,
} from '@joblens/test-utils';
import { describe, expect, it } from 'vitest';
import { readAttempt, readJobLog } from '../../src/model/normalize.js';

function bareSpan(overrides: Partial<SpanRecord>): SpanRecord {
  return {
    resource: makeResource({ service: 'billing', worker: 'w-9', host: 'h-9' }),
    scopeName: 'other-instrumentation',
    traceId: makeTraceId(),
    spanId: makeSpanId(),
    parentSpanId: '',
    name: 'span',
    kind: SPAN_KIND.INTERNAL,
    startMs: 1_000,
    endMs: 3_000,
    statusCode: STATUS_CODE.UNSET,
    statusMessage: '',
    attributes: {},
    events: [],
    links: [],
    ...overrides,
  };
}

describe('readAttempt', () => {
  it('reads a joblens attempt span into its facts', () => {
    const span = makeAttemptSpan({
      resource: makeResource({ service: 'mailer', worker: 'w-1', host: 'host-a' }),
      queue: 'emails',
      jobName: 'welcome',
      jobId: 'job-7',
      attempt: 2,
      maxAttempts: 3,
      outcome: 'retry_scheduled',
      errorType: 'SmtpTimeout',
      queueWaitSeconds: 1.5,
      startMs: 10_000,
      durationMs: 2_500,
    });
    const facts = readAttempt(span);
    expect(facts).toMatchObject({
      service: 'mailer',
      worker: 'w-1',
      host: 'host-a',
      system: 'joblens',
      queue: 'emails',
      jobName: 'welcome',
      jobId: 'job-7',
      attempt: 2,
      maxAttempts: 3,
      outcome: 'retry_scheduled',
      errorType: 'SmtpTimeout',
      queueWaitSeconds: 1.5,
      startMs: 10_000,
      endMs: 12_500,
    });
  });

  it('derives the outcome from the status and the attempt limit when the span does not say', () => {
    const base = makeAttemptSpan({ attempt: 3, maxAttempts: 3 });
    const ok = readAttempt(base);
    expect(ok?.outcome).toBe('completed');
    expect(ok?.errorType).toBeUndefined();
    const last = readAttempt({ ...base, statusCode: STATUS_CODE.ERROR });
    expect(last?.outcome).toBe('exhausted');
    expect(last?.errorType).toBe('_OTHER');
    const early = readAttempt({
      ...base,
      statusCode: STATUS_CODE.ERROR,
      attributes: { ...base.attributes, [ATTR_JOB_ATTEMPT]: 1 },
    });
    expect(early?.outcome).toBe('retry_scheduled');
    const unknownLimit = { ...base.attributes };
    delete unknownLimit[ATTR_JOB_MAX_ATTEMPTS];
    expect(readAttempt({ ...base, statusCode: STATUS_CODE.ERROR, attributes: unknownLimit })?.outcome).toBe(
      'failed',
    );
  });

  it('takes the error type and message from the exception event when no error.type is set', () => {
    const span = bareSpan({
      name: 'process reports',
      kind: SPAN_KIND.CONSUMER,
      statusCode: STATUS_CODE.ERROR,
      attributes: { 'messaging.operation.type': 'process', 'messaging.destination.name': 'reports' },
      events: [
        {
          name: 'exception',
          timeMs: 2_000,
          attributes: { [ATTR_EXCEPTION_TYPE]: 'TypeError', [ATTR_EXCEPTION_MESSAGE]: 'x is undefined' },
        },
      ],
    });
    const facts = readAttempt(span);
    expect(facts).toMatchObject({
      queue: 'reports',
      outcome: 'failed',
      errorType: 'TypeError',
      errorMessage: 'x is undefined',
    });
  });

  it('normalizes a legacy messaging span (messaging.operation receive, messaging.destination, message_id)', () => {
    const span = bareSpan({
      name: 'orders receive',
      kind: SPAN_KIND.CONSUMER,
      attributes: {
        'messaging.system': 'rabbitmq',
        'messaging.operation': 'receive',
        'messaging.destination': 'orders',
        'messaging.message_id': 'm-42',
      },
    });
    expect(readAttempt(span)).toMatchObject({
      system: 'rabbitmq',
      queue: 'orders',
      jobId: 'm-42',
      jobName: 'orders',
      attempt: 1,
      outcome: 'completed',
    });
  });

  it('does not take a receive span that is not a consumer span for an attempt', () => {
    const span = bareSpan({
      kind: SPAN_KIND.CLIENT,
      attributes: { 'messaging.operation': 'receive', 'messaging.destination': 'orders' },
    });
    expect(readAttempt(span)).toBeUndefined();
  });

  it("normalizes BullMQ's own process span, reading a failure from its `job failed` event", () => {
    const span = bareSpan({
      name: 'process thumbnails',
      kind: SPAN_KIND.CONSUMER,
      attributes: {
        [ATTR_BULLMQ_QUEUE_NAME]: 'thumbnails',
        'bullmq.queue.operation': 'process',
        [ATTR_BULLMQ_JOB_ID]: '981',
        [ATTR_BULLMQ_JOB_NAME]: 'resize',
        [ATTR_BULLMQ_WORKER_NAME]: 'thumbs-worker',
        [ATTR_BULLMQ_JOB_ATTEMPTS_MADE]: 4,
      },
      events: [
        {
          name: 'job failed',
          timeMs: 2_900,
          attributes: { [ATTR_BULLMQ_JOB_FAILED_REASON]: 'image too large' },
        },
      ],
    });
    expect(readAttempt(span)).toMatchObject({
      system: 'bullmq',
      queue: 'thumbnails',
      jobName: 'resize',
      jobId: '981',
      attempt: 4,
      outcome: 'failed',
      errorMessage: 'image too large',
    });
  });

  it("leaves BullMQ's other operations (getNextJob, moveStalledJobsToWait) out", () => {
    const span = bareSpan({
      name: 'getNextJob thumbnails',
      attributes: { [ATTR_BULLMQ_QUEUE_NAME]: 'thumbnails', 'bullmq.queue.operation': 'getNextJob' },
    });
    expect(readAttempt(span)).toBeUndefined();
  });

  it('takes a consumer span named `process {queue}` with no messaging attributes as an attempt', () => {
    const span = bareSpan({ name: 'process invoices', kind: SPAN_KIND.CONSUMER });
    expect(readAttempt(span)).toMatchObject({ queue: 'invoices', jobId: span.spanId, system: '' });
  });

  it('leaves steps and unrelated spans out', () => {
    const attempt = makeAttemptSpan();
    expect(
      readAttempt(makeStepSpan({ parent: attempt, name: 'fetch', startMs: 0, endMs: 10 })),
    ).toBeUndefined();
    expect(readAttempt(bareSpan({ name: 'GET /users', kind: SPAN_KIND.CLIENT }))).toBeUndefined();
    expect(
      readAttempt(
        bareSpan({
          name: 'publish emails',
          kind: SPAN_KIND.PRODUCER,
          attributes: { [ATTR_MESSAGING_SYSTEM]: 'x', 'messaging.operation.type': 'send' },
        }),
      ),
    ).toBeUndefined();
  });

  it('names the worker by host and pid, then by service, when there is no service.instance.id', () => {
    const withPid = makeAttemptSpan({
      resource: makeResource({ service: 'a', worker: '', host: 'box', pid: 4242 }),
    });
    expect(readAttempt(withPid)?.worker).toBe('box:4242');
    const bare = makeAttemptSpan({ resource: makeResource({ service: 'lonely', worker: '', host: '' }) });
    expect(readAttempt(bare)?.worker).toBe('lonely');
  });

  it('never lets an end before the start through', () => {
    const span = makeAttemptSpan({ startMs: 5_000, durationMs: -2_000 });
    const facts = readAttempt(span);
    expect(facts?.endMs).toBe(5_000);
  });
});

describe('readJobLog', () => {
  it('reads a still-running record with its silence, elapsed time and current step', () => {
    const attempt = makeAttemptSpan({ jobId: 'j-1', jobName: 'export', queue: 'reports', attempt: 2 });
    const log = makeJobLog({
      kind: 'still_running',
      attempt,
      timeMs: 50_000,
      silenceSeconds: 12,
      elapsedSeconds: 40,
      currentStep: 'upload',
    });
    expect(readJobLog(log)).toMatchObject({
      kind: 'still_running',
      traceId: attempt.traceId,
      spanId: attempt.spanId,
      queue: 'reports',
      jobName: 'export',
      jobId: 'j-1',
      attempt: 2,
      silenceSeconds: 12,
      elapsedSeconds: 40,
      currentStep: 'upload',
    });
  });

  it('reads the event name from the event.name attribute when the record has none', () => {
    const log = makeEventLoopBlockedLog({ timeMs: 1 });
    const moved = { ...log, eventName: '', attributes: { ...log.attributes, 'event.name': log.eventName } };
    expect(readJobLog(moved)?.kind).toBe('event_loop_blocked');
  });

  it('ignores log records that are not joblens records', () => {
    const log = makeEventLoopBlockedLog({ timeMs: 1 });
    expect(readJobLog({ ...log, eventName: 'http.request' })).toBeUndefined();
    expect(readJobLog({ ...log, eventName: '', attributes: {} })).toBeUndefined();
  });
});
