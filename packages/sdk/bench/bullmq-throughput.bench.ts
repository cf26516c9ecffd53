/**
 * sdk_bullmq_throughput_ratio: no-op jobs per second of a real BullMQ worker on the real Redis with
 * `withJoblens` divided by the same worker without it (same Redis, same concurrency, same job
 * count), rounds alternating between the two, medians compared after a warmup round of each.
 * The SDK exports to no-op exporters in this process: the figure is the cost of instrumenting,
 * not of a collector's network round trips (those happen in the background, batched).
 */
import { randomUUID } from 'node:crypto';
import { ensureRedis, REDIS_URL } from '@joblens/test-utils';
import type { LogRecordExporter, ReadableLogRecord } from '@opentelemetry/sdk-logs';
import {
  AggregationTemporality,
  InMemoryMetricExporter,
  PeriodicExportingMetricReader,
} from '@opentelemetry/sdk-metrics';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';
import { type Processor, Queue, Worker } from 'bullmq';
import { withJoblens } from '../src/adapters/bullmq/index.js';
import { startJoblens } from '../src/start-joblens.js';
import { median, printFigure, progress } from './bench-stats.js';

const JOBS = Number(process.env.JOBLENS_BENCH_BULLMQ_JOBS ?? 5000);
const ROUNDS = Number(process.env.JOBLENS_BENCH_BULLMQ_ROUNDS ?? 9);
const CONCURRENCY = 10;
const url = new URL(REDIS_URL);
const connection = { host: url.hostname, port: Number(url.port || 6379), maxRetriesPerRequest: null };

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

await ensureRedis();
const joblens = startJoblens({
  serviceName: 'joblens-bench-bullmq',
  spanExporter: noopSpanExporter,
  logRecordExporter: noopLogExporter,
  metricReader: new PeriodicExportingMetricReader({
    exporter: new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE),
    exportIntervalMillis: 600_000,
  }),
  flushOnSignals: false,
  dumpSignal: false,
});

const noop: Processor = async () => undefined;
const instrumented = withJoblens(joblens, async () => undefined);

async function jobsPerSecond(processor: Processor): Promise<number> {
  const name = `joblens-bench-${randomUUID()}`;
  const queue = new Queue(name, { connection });
  try {
    await queue.addBulk(
      Array.from({ length: JOBS }, (_, i) => ({
        name: 'noop',
        data: { i },
        opts: { removeOnComplete: true, removeOnFail: true },
      })),
    );
    let completed = 0;
    let startedAt = 0;
    const worker = new Worker(name, processor, { connection, concurrency: CONCURRENCY, autorun: false });
    const done = new Promise<void>((resolve) => {
      worker.on('completed', () => {
        completed++;
        if (completed === JOBS) resolve();
      });
    });
    startedAt = performance.now();
    void worker.run();
    await done;
    const seconds = (performance.now() - startedAt) / 1000;
    await worker.close();
    return JOBS / seconds;
  } finally {
    await queue.obliterate({ force: true }).catch(() => {});
    await queue.close();
  }
}

const bare: number[] = [];
const withSdk: number[] = [];
for (let round = 0; round <= ROUNDS; round++) {
  const order = round % 2 === 0 ? [false, true] : [true, false];
  for (const useSdk of order) {
    const rate = await jobsPerSecond(useSdk ? instrumented : noop);
    // Round 0 warms up Redis scripts, the JIT and the SDK's pipeline.
    if (round > 0) (useSdk ? withSdk : bare).push(rate);
    progress(
      `bullmq-throughput: round ${round}/${ROUNDS} ${useSdk ? 'with SDK' : 'bare'}: ${rate.toFixed(0)} jobs/s`,
    );
  }
}

printFigure('sdk_bullmq_throughput_ratio', median(withSdk) / median(bare));
printFigure('sdk_bullmq_jobs_per_second', median(withSdk), 0);
printFigure('bullmq_bare_jobs_per_second', median(bare), 0);
await joblens.shutdown();
