/**
 * sdk_bullmq_throughput_ratio: no-op jobs per second of a real BullMQ worker on the real Redis with
 * `withJoblens` divided by the same worker without it (same Redis, same concurrency, same job
 * count), rounds alternating between the two, medians compared after a warmup round of each.
 * The SDK exports to no-op exporters in this process: the figure is the cost of instrumenting,
 * not of a collector's network round trips (those happen in the background, batched). Also printed:
 * the worker process's CPU time per job, with the SDK over without, which other load on a shared
 * machine disturbs less than wall-clock throughput.
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

/** Jobs per wall second, and this process's CPU µs per job (which a busy shared machine disturbs less). */
async function jobsPerSecond(processor: Processor): Promise<{ rate: number; cpuMicrosPerJob: number }> {
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
    const cpuBefore = process.cpuUsage();
    void worker.run();
    await done;
    const seconds = (performance.now() - startedAt) / 1000;
    const cpu = process.cpuUsage(cpuBefore);
    await worker.close();
    return { rate: JOBS / seconds, cpuMicrosPerJob: (cpu.user + cpu.system) / JOBS };
  } finally {
    await queue.obliterate({ force: true }).catch(() => {});
    await queue.close();
  }
}

const bare: number[] = [];
const withSdk: number[] = [];
const bareCpu: number[] = [];
const withSdkCpu: number[] = [];
for (let round = 0; round <= ROUNDS; round++) {
  const order = round % 2 === 0 ? [false, true] : [true, false];
  for (const useSdk of order) {
    const { rate, cpuMicrosPerJob } = await jobsPerSecond(useSdk ? instrumented : noop);
    // Round 0 warms up Redis scripts, the JIT and the SDK's pipeline.
    if (round > 0) {
      (useSdk ? withSdk : bare).push(rate);
      (useSdk ? withSdkCpu : bareCpu).push(cpuMicrosPerJob);
    }
    progress(
      `bullmq-throughput: round ${round}/${ROUNDS} ${useSdk ? 'with SDK' : 'bare'}: ${rate.toFixed(0)} jobs/s, ${cpuMicrosPerJob.toFixed(1)} µs CPU/job`,
    );
  }
}

printFigure('sdk_bullmq_throughput_ratio', median(withSdk) / median(bare));
printFigure('sdk_bullmq_jobs_per_second', median(withSdk), 0);
printFigure('bullmq_bare_jobs_per_second', median(bare), 0);
// The worker process's CPU per job, with the SDK over without: what instrumenting costs the host.
printFigure('sdk_bullmq_cpu_per_job_ratio', median(withSdkCpu) / median(bareCpu));
await joblens.shutdown();
