import { type SpanRecord, STATUS_CODE } from '@joblens/otlp-receiver';
import { describe, expect, it } from 'vitest';
import { mysteryGapDetector } from '../../src/detectors/mystery-gap.js';
import { runawayRetriesDetector } from '../../src/detectors/runaway-retries.js';
import { readAttempt } from '../../src/model/normalize.js';
import { exceptionEvent, makeForeignChild, makeForeignSpan, modelAt, T0 } from './foreign-span.js';

/**
 * A server span as opentelemetry-instrumentation-sidekiq's TracerMiddleware ends it: `<queue> process`,
 * the jid as `messaging.message_id`, the queue as `messaging.destination`, the job class, `created_at` and
 * `enqueued_at` events, and on an exception `record_exception` with an error status.
 */
function sidekiqSpan(init: {
  jid: string;
  failed?: boolean;
  startMs?: number;
  durationMs?: number;
}): SpanRecord {
  const startMs = init.startMs ?? T0;
  const span = makeForeignSpan({
    name: 'mailers process',
    startMs,
    endMs: startMs + (init.durationMs ?? 1_000),
    attributes: {
      'messaging.system': 'sidekiq',
      'messaging.sidekiq.job_class': 'WelcomeMailJob',
      'messaging.message_id': init.jid,
      'messaging.destination': 'mailers',
      'messaging.destination_kind': 'queue',
      'messaging.operation': 'process',
    },
    events: [
      { name: 'created_at', timeMs: startMs - 4_000, attributes: {} },
      { name: 'enqueued_at', timeMs: startMs - 2_500, attributes: {} },
    ],
  });
  if (init.failed) {
    span.statusCode = STATUS_CODE.ERROR;
    span.statusMessage = 'Unhandled exception of type: Net::ReadTimeout';
    span.events.push(exceptionEvent('Net::ReadTimeout', 'Net::ReadTimeout', startMs + 900));
  }
  return span;
}

describe('reading Sidekiq server spans', () => {
  it('reads the queue, the jid, the job class and the wait since enqueued_at', () => {
    expect(readAttempt(sidekiqSpan({ jid: 'b4a5c1' }))).toMatchObject({
      system: 'sidekiq',
      queue: 'mailers',
      jobName: 'WelcomeMailJob',
      jobId: 'b4a5c1',
      queueWaitSeconds: 2.5,
      attemptFromDeliveries: true,
      outcome: 'completed',
    });
  });

  it('reads an unhandled exception as a failure of its class', () => {
    expect(readAttempt(sidekiqSpan({ jid: 'b4a5c1', failed: true }))).toMatchObject({
      outcome: 'failed',
      errorType: 'Net::ReadTimeout',
    });
  });
});

describe('a model fed Sidekiq server spans', () => {
  it('counts the retries Sidekiq runs under the same jid and raises runaway_retries', () => {
    const model = modelAt(T0 + 600_000);
    for (let i = 0; i < 5; i++)
      model.ingestSpans([sidekiqSpan({ jid: 'b4a5c1', failed: true, startMs: T0 + i * 30_000 })]);
    const findings = runawayRetriesDetector.evaluate(model, T0 + 600_000, runawayRetriesDetector.defaults);
    const perJob = findings.find((finding) => finding.subject.jobId === 'b4a5c1');
    expect(perJob?.evidence.figures).toMatchObject({ attempt: 5, repeatedErrorType: 'Net::ReadTimeout' });
  });

  it('raises mystery_gap for a silence between two child spans, not for the wait before the job started', () => {
    // Received ten seconds before the evaluation: past the time mystery_gap gives late steps to arrive.
    const model = modelAt(T0 + 50_000);
    const span = sidekiqSpan({ jid: 'c1', durationMs: 10_000 });
    model.ingestSpans([
      makeForeignChild(span, 'render', T0 + 100, T0 + 500),
      makeForeignChild(span, 'smtp.send', T0 + 9_000, T0 + 9_800),
      span,
    ]);
    const [gap] = mysteryGapDetector.evaluate(model, T0 + 60_000, mysteryGapDetector.defaults);
    expect(gap?.subject).toMatchObject({ queue: 'mailers', jobName: 'WelcomeMailJob' });
    expect(gap?.evidence.figures.worstGapSeconds).toBeCloseTo(8.5, 1);
  });
});
