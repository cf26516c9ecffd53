import type { SpanRecord } from '@joblens/otlp-receiver';
import { readString } from '../attribute-readers.js';
import type { DialectReading } from './dialect-reading.js';

/** The event opentelemetry-instrumentation-sidekiq adds at the time the job was pushed to its queue. */
const ENQUEUED_EVENT = 'enqueued_at';

/**
 * Reads a Sidekiq server span (opentelemetry-instrumentation-sidekiq: `<queue> process` or
 * `<JobClass> process`, the queue in `messaging.destination` and the jid in `messaging.message_id`, which
 * the generic reading takes). The job's name is its class; the queue wait is the time from the
 * `enqueued_at` event to the span's start. A retry runs the same jid again, so the model counts runs.
 */
export function readSidekiqAttempt(span: SpanRecord): DialectReading {
  let queueWaitSeconds: number | undefined;
  for (const event of span.events) {
    if (event.name === ENQUEUED_EVENT && event.timeMs <= span.startMs) {
      queueWaitSeconds = (span.startMs - event.timeMs) / 1000;
      break;
    }
  }
  return { jobName: readString(span.attributes, 'messaging.sidekiq.job_class'), queueWaitSeconds };
}
