import { type SpanRecord, STATUS_CODE } from '@joblens/otlp-receiver';
import { describe, expect, it } from 'vitest';
import { runawayRetriesDetector } from '../../src/detectors/runaway-retries.js';
import { readAttempt } from '../../src/model/normalize.js';
import { exceptionEvent, makeForeignSpan, modelAt, T0 } from './foreign-span.js';

/**
 * A worker span as opentelemetry-instrumentation-celery ends it: `run/<task>` (`_trace_prerun`), the
 * request's context copied at postrun (`set_attributes_from_context`: `celery.*`, the task id as the message
 * id, the routing key as `messaging.destination`, `celery.retries` left out while 0), `celery.retry.reason`
 * from the retry signal, and on failure an error status with the exception recorded.
 */
function celerySpan(init: {
  taskId: string;
  retries?: number;
  state: 'SUCCESS' | 'FAILURE' | 'RETRY';
  routingKey?: string;
  startMs?: number;
}): SpanRecord {
  const span = makeForeignSpan({
    name: 'run/billing.tasks.charge_card',
    startMs: init.startMs,
    attributes: {
      'celery.action': 'run',
      'celery.task_name': 'billing.tasks.charge_card',
      'celery.state': init.state,
      'celery.hostname': 'celery@worker-1',
      'messaging.message.id': init.taskId,
      ...(init.routingKey === undefined ? {} : { 'messaging.destination': init.routingKey }),
      ...(init.retries ? { 'celery.retries': init.retries } : {}),
      ...(init.state === 'RETRY' ? { 'celery.retry.reason': 'Retry in 10s: card network busy' } : {}),
    },
  });
  if (init.state === 'FAILURE') {
    span.statusCode = STATUS_CODE.ERROR;
    span.statusMessage = 'CardDeclined()';
    span.events = [exceptionEvent('CardDeclined', 'card declined', span.startMs + 500)];
  }
  return span;
}

describe('reading Celery run spans', () => {
  it('reads a run span as an attempt of its task, on the queue its routing key names', () => {
    expect(
      readAttempt(celerySpan({ taskId: 't-1', state: 'SUCCESS', routingKey: 'payments' })),
    ).toMatchObject({
      system: 'celery',
      queue: 'payments',
      jobName: 'billing.tasks.charge_card',
      jobId: 't-1',
      attempt: 1,
      attemptFromDeliveries: false,
      outcome: 'completed',
    });
  });

  it("puts a task without a routing key on Celery's default queue", () => {
    expect(readAttempt(celerySpan({ taskId: 't-1', state: 'SUCCESS' }))?.queue).toBe('celery');
  });

  it('numbers the attempt from celery.retries and reads a retry as a scheduled retry with its reason', () => {
    expect(readAttempt(celerySpan({ taskId: 't-1', retries: 3, state: 'RETRY' }))).toMatchObject({
      attempt: 4,
      outcome: 'retry_scheduled',
      errorMessage: 'Retry in 10s: card network busy',
    });
  });

  it('reads a failure with the exception the instrumentation recorded', () => {
    expect(readAttempt(celerySpan({ taskId: 't-1', retries: 2, state: 'FAILURE' }))).toMatchObject({
      attempt: 3,
      outcome: 'failed',
      errorType: 'CardDeclined',
    });
  });

  it('does not take the publishing side (apply_async) for an attempt', () => {
    const publish = makeForeignSpan({
      name: 'apply_async/billing.tasks.charge_card',
      attributes: { 'celery.action': 'apply_async', 'messaging.message.id': 't-1' },
    });
    expect(readAttempt(publish)).toBeUndefined();
  });
});

describe('a model fed Celery run spans', () => {
  it('raises runaway_retries for a task retried past the threshold', () => {
    const model = modelAt(T0 + 60_000);
    for (let retries = 0; retries < 6; retries++)
      model.ingestSpans([
        celerySpan({ taskId: 't-9', retries, state: 'RETRY', startMs: T0 + retries * 1_000 }),
      ]);
    const findings = runawayRetriesDetector.evaluate(model, T0 + 60_000, runawayRetriesDetector.defaults);
    const perJob = findings.find((finding) => finding.subject.jobId === 't-9');
    expect(perJob?.evidence.figures).toMatchObject({ attempt: 6, lastOutcome: 'retry_scheduled' });
  });
});
