/**
 * The yardstick of the SDK's benchmarks: one bare OpenTelemetry span per job, through a
 * BatchSpanProcessor into a no-op exporter, with the attributes the SDK puts on an attempt.
 */
import {
  ATTR_JOB_ATTEMPT,
  ATTR_JOB_ID,
  ATTR_JOB_MAX_ATTEMPTS,
  ATTR_JOB_NAME,
  ATTR_JOB_QUEUE_WAIT,
  ATTR_MESSAGING_DESTINATION_NAME,
  ATTR_MESSAGING_MESSAGE_ID,
  ATTR_MESSAGING_OPERATION_NAME,
  ATTR_MESSAGING_OPERATION_TYPE,
  ATTR_MESSAGING_SYSTEM,
  ATTR_WORKER_ID,
  attemptSpanName,
} from '@joblens/semconv';
import { SpanKind } from '@opentelemetry/api';
import type { LogRecordExporter, ReadableLogRecord } from '@opentelemetry/sdk-logs';
import {
  BasicTracerProvider,
  BatchSpanProcessor,
  type ReadableSpan,
  type SpanExporter,
} from '@opentelemetry/sdk-trace-base';

// Success without doing anything: what is measured is producing telemetry, not shipping it.
export const noopSpanExporter: SpanExporter = {
  export: (_spans: ReadableSpan[], done) => done({ code: 0 }),
  forceFlush: async () => {},
  shutdown: async () => {},
};
export const noopLogExporter: LogRecordExporter = {
  export: (_records: ReadableLogRecord[], done) => done({ code: 0 }),
  forceFlush: async () => {},
  shutdown: async () => {},
};

export const bareProvider = new BasicTracerProvider({
  spanProcessors: [new BatchSpanProcessor(noopSpanExporter)],
});
const bareTracer = bareProvider.getTracer('bench-bare');

/** One job's bare span: started, then ended after the no-op body's await. */
export async function bareAttemptSpan(queue: string, jobName: string, id: string): Promise<void> {
  const span = bareTracer.startSpan(attemptSpanName(queue), {
    kind: SpanKind.CONSUMER,
    attributes: {
      [ATTR_WORKER_ID]: 'bench',
      [ATTR_MESSAGING_SYSTEM]: 'joblens',
      [ATTR_MESSAGING_OPERATION_TYPE]: 'process',
      [ATTR_MESSAGING_OPERATION_NAME]: 'process',
      [ATTR_MESSAGING_DESTINATION_NAME]: queue,
      [ATTR_MESSAGING_MESSAGE_ID]: id,
      [ATTR_JOB_ID]: id,
      [ATTR_JOB_NAME]: jobName,
      [ATTR_JOB_ATTEMPT]: 1,
      [ATTR_JOB_MAX_ATTEMPTS]: 3,
      [ATTR_JOB_QUEUE_WAIT]: 0,
    },
  });
  await undefined;
  span.end();
}
