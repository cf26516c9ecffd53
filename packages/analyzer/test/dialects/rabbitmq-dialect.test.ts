import { type SpanRecord, STATUS_CODE } from '@joblens/otlp-receiver';
import { describe, expect, it } from 'vitest';
import { runawayRetriesDetector } from '../../src/detectors/runaway-retries.js';
import { readAttempt } from '../../src/model/normalize.js';
import { exceptionEvent, makeForeignChild, makeForeignSpan, modelAt, T0 } from './foreign-span.js';

/** A consumer span as `@opentelemetry/instrumentation-amqplib` 0.70 ends it (amqplib.ts, `patchedOnMessage`). */
function amqplibSpan(init: {
  queue: string;
  exchange?: string;
  routingKey?: string;
  messageId?: string;
  statusMessage?: string;
  startMs?: number;
  attributes?: SpanRecord['attributes'];
}): SpanRecord {
  return makeForeignSpan({
    name: `${init.queue} process`,
    startMs: init.startMs,
    statusCode: init.statusMessage === undefined ? STATUS_CODE.UNSET : STATUS_CODE.ERROR,
    statusMessage: init.statusMessage ?? '',
    attributes: {
      'messaging.system': 'rabbitmq',
      'messaging.protocol': 'AMQP',
      'messaging.protocol_version': '0.9.1',
      'messaging.destination': init.exchange ?? '',
      'messaging.destination_kind': 'topic',
      'messaging.rabbitmq.routing_key': init.routingKey ?? init.queue,
      'messaging.operation': 'process',
      ...(init.messageId === undefined ? {} : { 'messaging.message_id': init.messageId }),
      ...init.attributes,
    },
  });
}

describe('reading amqplib consumer spans', () => {
  it('takes the queue from the span name, not from the empty default exchange', () => {
    expect(readAttempt(amqplibSpan({ queue: 'invoices', messageId: 'm-1' }))).toMatchObject({
      system: 'rabbitmq',
      queue: 'invoices',
      jobName: 'invoices',
      jobId: 'm-1',
      outcome: 'completed',
    });
  });

  it('takes the consumed queue behind a topic exchange, not the exchange nor the message routing key', () => {
    const span = amqplibSpan({ queue: 'orders', exchange: 'events', routingKey: 'order.created.eu' });
    expect(readAttempt(span)?.queue).toBe('orders');
  });

  it('falls back to the routing key when the span name does not name a queue', () => {
    const span = { ...amqplibSpan({ queue: '', routingKey: 'amq.gen-Xa2' }), name: 'receive' };
    expect(readAttempt(span)?.queue).toBe('amq.gen-Xa2');
  });

  it('takes the queue from the span name when a fanout exchange left the routing key empty', () => {
    const span = amqplibSpan({ queue: 'audit', exchange: 'broadcast', routingKey: '' });
    delete span.attributes['messaging.rabbitmq.routing_key'];
    expect(readAttempt(span)?.queue).toBe('audit');
  });

  it('reads a nack with requeue as a scheduled retry and one without as a failure', () => {
    const requeued = amqplibSpan({ queue: 'q', statusMessage: 'nack called on message with requeue' });
    const dropped = amqplibSpan({ queue: 'q', statusMessage: 'nack called on message without requeue' });
    const rejected = amqplibSpan({ queue: 'q', statusMessage: 'reject called on message without requeue' });
    expect(readAttempt(requeued)).toMatchObject({ outcome: 'retry_scheduled', errorType: '_OTHER' });
    expect(readAttempt(dropped)?.outcome).toBe('failed');
    expect(readAttempt(rejected)?.outcome).toBe('failed');
  });

  it("reads a nack or reject that does not say (amqplib's default requeue) as a scheduled retry", () => {
    expect(readAttempt(amqplibSpan({ queue: 'q', statusMessage: 'reject called on message' }))?.outcome).toBe(
      'retry_scheduled',
    );
  });

  it("does not read the instrumentation's own timeout or a closed channel as an attempt", () => {
    for (const statusMessage of [
      'instrumentation timeout called on message with requeue',
      'channel closed',
      'channel error',
    ])
      expect(readAttempt(amqplibSpan({ queue: 'q', statusMessage }))).toBeUndefined();
  });

  it('takes the error type from a recordException on the consumer span', () => {
    const span = amqplibSpan({ queue: 'q', statusMessage: 'nack called on message with requeue' });
    span.events = [exceptionEvent('PoisonPayloadError', 'cannot parse', T0 + 10)];
    expect(readAttempt(span)).toMatchObject({
      errorType: 'PoisonPayloadError',
      errorMessage: 'cannot parse',
    });
  });

  it('numbers the attempt from a delivery count a consumeHook copied from x-delivery-count', () => {
    const span = amqplibSpan({
      queue: 'q',
      messageId: 'm',
      attributes: { 'joblens.message.delivery_count': 4 },
    });
    expect(readAttempt(span)).toMatchObject({ queue: 'q', attempt: 5, attemptFromDeliveries: true });
  });
});

describe('a model fed amqplib consumer spans', () => {
  it('numbers the deliveries of one message as attempts and raises runaway_retries on the fifth', () => {
    const model = modelAt(T0 + 60_000);
    for (let i = 0; i < 5; i++)
      model.ingestSpans([
        amqplibSpan({
          queue: 'imports',
          messageId: 'poison',
          statusMessage: 'nack called on message with requeue',
          startMs: T0 + i * 2_000,
        }),
      ]);
    const [job] = [...model.jobs(0)];
    expect(job).toMatchObject({
      queue: 'imports',
      jobId: 'poison',
      maxAttempt: 5,
      lastOutcome: 'retry_scheduled',
    });
    const findings = runawayRetriesDetector.evaluate(model, T0 + 60_000, runawayRetriesDetector.defaults);
    expect(findings.map((finding) => finding.key)).toContain('job|orders-worker|imports|poison');
  });

  it('takes the delivery count as a floor: exact after a restart, and counted when the broker does not advance it', () => {
    const model = modelAt(T0 + 60_000);
    const delivery = (messageId: string, count: number, i: number) =>
      amqplibSpan({
        queue: 'imports',
        messageId,
        statusMessage: 'nack called on message with requeue',
        startMs: T0 + i * 1_000,
        attributes: { 'joblens.message.delivery_count': count },
      });
    // Seen first at its 9th delivery (the analyzer restarted), then the 10th.
    model.ingestSpans([delivery('counted', 8, 0), delivery('counted', 9, 1)]);
    // A broker that does not count requeues as deliveries.
    model.ingestSpans([delivery('stuck', 0, 2), delivery('stuck', 0, 3), delivery('stuck', 0, 4)]);
    const attempts = Object.fromEntries([...model.jobs(0)].map((job) => [job.jobId, job.maxAttempt]));
    expect(attempts).toEqual({ counted: 10, stuck: 3 });
  });

  it('does not number messages without an id as one job', () => {
    const model = modelAt(T0 + 60_000);
    for (let i = 0; i < 3; i++) model.ingestSpans([amqplibSpan({ queue: 'imports', startMs: T0 + i })]);
    expect([...model.jobs(0)].map((job) => job.maxAttempt)).toEqual([1, 1, 1]);
  });

  it('names the error after the exception a child span recorded, whether the child comes first or last', () => {
    const model = modelAt(T0 + 60_000);
    const first = amqplibSpan({
      queue: 'q',
      messageId: 'a',
      statusMessage: 'nack called on message without requeue',
    });
    const last = amqplibSpan({
      queue: 'q',
      messageId: 'b',
      statusMessage: 'nack called on message without requeue',
    });
    const boom = (parent: SpanRecord) =>
      makeForeignChild(parent, 'charge', T0 + 100, T0 + 200, [
        exceptionEvent('GatewayDownError', '503', T0 + 150),
      ]);
    model.ingestSpans([boom(first), first]);
    model.ingestSpans([last, boom(last)]);
    const errors = [...model.finishedAttempts(0)].map((attempt) => [
      attempt.facts.jobId,
      attempt.facts.errorType,
    ]);
    expect(errors).toEqual([
      ['a', 'GatewayDownError'],
      ['b', 'GatewayDownError'],
    ]);
  });

  it('keeps a completed attempt without an error type whatever its children recorded', () => {
    const model = modelAt(T0 + 60_000);
    const span = amqplibSpan({ queue: 'q', messageId: 'a' });
    model.ingestSpans([
      makeForeignChild(span, 'retry-call', T0 + 1, T0 + 2, [exceptionEvent('Flaky', 'x', T0 + 1)]),
      span,
    ]);
    expect([...model.finishedAttempts(0)][0].facts.errorType).toBeUndefined();
  });
});
