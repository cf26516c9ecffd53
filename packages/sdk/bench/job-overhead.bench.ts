/**
 * sdk_job_overhead_ratio: the per-job cost of an instrumented no-op `runAttempt` divided by the cost
 * of one bare OpenTelemetry span with the same attributes, both through a BatchSpanProcessor into a
 * no-op exporter (the network is not what is measured). Rounds alternate between the two so drift
 * in machine load hits both; the medians of the rounds are compared after warmup rounds.
 */
import { hrtime } from 'node:process';
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
  AggregationTemporality,
  InMemoryMetricExporter,
  PeriodicExportingMetricReader,
} from '@opentelemetry/sdk-metrics';
import {
  BasicTracerProvider,
  BatchSpanProcessor,
  type ReadableSpan,
  type SpanExporter,
} from '@opentelemetry/sdk-trace-base';
import { startJoblens } from '../src/start-joblens.js';
import { median, printFigure, progress } from './bench-stats.js';

const JOBS_PER_ROUND = Number(process.env.JOBLENS_BENCH_JOBS ?? 5000);
const WARMUP_ROUNDS = 3;
const ROUNDS = Number(process.env.JOBLENS_BENCH_ROUNDS ?? 15);
const QUEUE = 'bench-queue';

// Success without doing anything: what is measured is producing telemetry, not shipping it.
const noopSpanExporter: SpanExporter = {
  export: (_spans: ReadableSpan[], done) => done({ code: 0 }),
  forceFlush: async () => {},
  shutdown: async () => {},
};
const noopLogExporter: LogRecordExporter = {
  export: (_records: ReadableLogRecord[], done) => done({ code: 0 }),
  forceFlush: async () => {},
  shutdown: async () => {},
};

const joblens = startJoblens({
  serviceName: 'joblens-bench',
  spanExporter: noopSpanExporter,
  logRecordExporter: noopLogExporter,
  metricReader: new PeriodicExportingMetricReader({
    exporter: new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE),
    exportIntervalMillis: 600_000,
  }),
  flushOnSignals: false,
  dumpSignal: false,
});

const bareProvider = new BasicTracerProvider({ spanProcessors: [new BatchSpanProcessor(noopSpanExporter)] });
const bareTracer = bareProvider.getTracer('bench-bare');

let jobCounter = 0;

async function instrumentedJob(): Promise<void> {
  const id = String(jobCounter++);
  await joblens.runAttempt(
    { queue: QUEUE, jobName: 'noop', jobId: id, attempt: 1, maxAttempts: 3, readyAtMs: Date.now() },
    () => undefined,
  );
}

async function bareJob(): Promise<void> {
  const id = String(jobCounter++);
  const span = bareTracer.startSpan(attemptSpanName(QUEUE), {
    kind: SpanKind.CONSUMER,
    attributes: {
      [ATTR_WORKER_ID]: 'bench',
      [ATTR_MESSAGING_SYSTEM]: 'joblens',
      [ATTR_MESSAGING_OPERATION_TYPE]: 'process',
      [ATTR_MESSAGING_OPERATION_NAME]: 'process',
      [ATTR_MESSAGING_DESTINATION_NAME]: QUEUE,
      [ATTR_MESSAGING_MESSAGE_ID]: id,
      [ATTR_JOB_ID]: id,
      [ATTR_JOB_NAME]: 'noop',
      [ATTR_JOB_ATTEMPT]: 1,
      [ATTR_JOB_MAX_ATTEMPTS]: 3,
      [ATTR_JOB_QUEUE_WAIT]: 0,
    },
  });
  // The same async shape as a job: the no-op body runs behind an await.
  await undefined;
  span.end();
}

async function nanosPerJob(job: () => Promise<void>): Promise<number> {
  const start = hrtime.bigint();
  for (let i = 0; i < JOBS_PER_ROUND; i++) await job();
  return Number(hrtime.bigint() - start) / JOBS_PER_ROUND;
}

const sdkNanos: number[] = [];
const bareNanos: number[] = [];
for (let round = 0; round < WARMUP_ROUNDS + ROUNDS; round++) {
  // Alternate which goes first so neither always runs on a warmer heap.
  const order = round % 2 === 0 ? [true, false] : [false, true];
  for (const instrumented of order) {
    const nanos = await nanosPerJob(instrumented ? instrumentedJob : bareJob);
    if (round >= WARMUP_ROUNDS) (instrumented ? sdkNanos : bareNanos).push(nanos);
  }
  progress(`job-overhead: round ${round + 1}/${WARMUP_ROUNDS + ROUNDS}`);
}

const sdk = median(sdkNanos);
const bare = median(bareNanos);
progress(
  `job-overhead: instrumented ${(sdk / 1000).toFixed(2)} µs/job, bare span ${(bare / 1000).toFixed(2)} µs/job`,
);
printFigure('sdk_job_overhead_ratio', sdk / bare);
printFigure('sdk_job_micros', sdk / 1000);
printFigure('sdk_bare_span_micros', bare / 1000);

await joblens.shutdown();
await bareProvider.shutdown();
