import { type SpanRecord, STATUS_CODE } from '@joblens/otlp-receiver';
import { describe, expect, it } from 'vitest';
import { retryStormDetector } from '../../src/detectors/retry-storm.js';
import { runawayRetriesDetector } from '../../src/detectors/runaway-retries.js';
import { readAttempt } from '../../src/model/normalize.js';
import { makeForeignSpan, modelAt, T0 } from './foreign-span.js';

/**
 * An `eachMessage` span as `@opentelemetry/instrumentation-kafkajs` ends it (`_startConsumerSpan` with
 * operation `process`; on a rejected handler `_endSpansOnPromise` sets `error.type` to the error's class
 * and an error status with its message). There is no Kafka broker here: the span is built to that shape.
 */
function kafkajsSpan(init: {
  topic: string;
  partition: number;
  offset: string;
  error?: string;
  startMs?: number;
}) {
  const span: SpanRecord = makeForeignSpan({
    name: `process ${init.topic}`,
    startMs: init.startMs,
    attributes: {
      'messaging.system': 'kafka',
      'messaging.destination.name': init.topic,
      'messaging.operation.type': 'process',
      'messaging.operation.name': 'process',
      'messaging.destination.partition.id': String(init.partition),
      'messaging.consumer.group.name': 'billing',
      'messaging.kafka.message.key': 'customer-7',
      'messaging.kafka.offset': init.offset,
    },
  });
  if (init.error !== undefined) {
    span.attributes['error.type'] = init.error;
    span.statusCode = STATUS_CODE.ERROR;
    span.statusMessage = 'ledger is read-only';
  }
  return span;
}

describe('reading kafkajs consumer spans', () => {
  it('takes the topic as the queue and names the message by partition and offset', () => {
    expect(readAttempt(kafkajsSpan({ topic: 'payments', partition: 3, offset: '1042' }))).toMatchObject({
      system: 'kafka',
      queue: 'payments',
      jobName: 'payments',
      jobId: '3:1042',
      attemptFromDeliveries: true,
      outcome: 'completed',
    });
  });

  it('reads a rejected handler as a failure of the error class the instrumentation recorded', () => {
    const facts = readAttempt(
      kafkajsSpan({ topic: 'payments', partition: 0, offset: '1', error: 'LedgerError' }),
    );
    expect(facts).toMatchObject({
      outcome: 'failed',
      errorType: 'LedgerError',
      errorMessage: 'ledger is read-only',
    });
  });
});

describe('a model fed kafkajs consumer spans', () => {
  it('counts the runs kafkajs makes of one offset after its handler threw, and raises runaway_retries', () => {
    const model = modelAt(T0 + 60_000);
    for (let i = 0; i < 6; i++)
      model.ingestSpans([
        kafkajsSpan({
          topic: 'payments',
          partition: 1,
          offset: '77',
          error: 'LedgerError',
          startMs: T0 + i * 1_000,
        }),
      ]);
    const findings = runawayRetriesDetector.evaluate(model, T0 + 60_000, runawayRetriesDetector.defaults);
    const perJob = findings.find((finding) => finding.key === 'job|orders-worker|payments|1:77');
    expect(perJob?.evidence.figures).toMatchObject({ attempt: 6, repeatedErrorType: 'LedgerError' });
  });

  it('raises retry_storm when many offsets fail with the same error class at once', () => {
    const model = modelAt(T0 + 30_000);
    for (let offset = 0; offset < 12; offset++)
      model.ingestSpans([
        kafkajsSpan({
          topic: 'payments',
          partition: 0,
          offset: String(offset),
          error: 'LedgerError',
          startMs: T0 + offset,
        }),
      ]);
    const [storm] = retryStormDetector.evaluate(model, T0 + 30_000, retryStormDetector.defaults);
    expect(storm).toMatchObject({
      subject: { queue: 'payments' },
      evidence: { figures: { distinctJobs: 12 } },
    });
  });
});
