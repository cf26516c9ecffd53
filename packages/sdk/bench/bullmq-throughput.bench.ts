/**
 * sdk_bullmq_throughput_ratio: no-op jobs per second of a real BullMQ worker on the real Redis with
 * `withJoblens` divided by the same worker without it (same Redis, same concurrency, same job
 * count), rounds rotating the order of the arms, medians compared after a warmup round of each.
 * The SDK exports to no-op exporters in this process: the figure is the cost of instrumenting,
 * not of a collector's network round trips (those happen in the background, batched). Also printed:
 * the worker process's CPU time per job, with the SDK over without, which other load on a shared
 * machine disturbs less than wall-clock throughput. A third arm runs the same worker with one bare
 * OpenTelemetry span per job and nothing else (bare_span_bullmq_*), to show what any span costs here.
 * A fourth runs BullMQ's own OpenTelemetry telemetry (`bullmq-otel`, see bullmq-otel-arm.ts), the peer a
 * user would pick instead: sdk_vs_bullmq_otel_cpu_ratio is joblens's CPU per job over that arm's.
 *
 * Reading sdk_bullmq_cpu_per_job_ratio on Node 20: part of it is no code of the SDK's. The attempt's
 * AsyncLocalStorage scope (what `step()`, `currentAttempt()` and the waiting evidence read) turns on
 * Node's promise hooks, which then run for every promise in the process, BullMQ's and ioredis's included:
 * an AsyncLocalStorage entered once costs a bare no-op BullMQ worker about 13% more CPU per job (measured
 * side by side, December 2026). OpenTelemetry's AsyncLocalStorage context manager pays the same, so the
 * bullmq-otel arm does too; from Node 24, AsyncLocalStorage no longer uses promise hooks.
 */
import { randomUUID } from 'node:crypto';
import { ensureRedis, REDIS_URL } from '@joblens/test-utils';
import {
  AggregationTemporality,
  InMemoryMetricExporter,
  PeriodicExportingMetricReader,
} from '@opentelemetry/sdk-metrics';
import { type Processor, Queue, type Telemetry, Worker } from 'bullmq';
import { withJoblens } from '../src/adapters/bullmq/index.js';
import { startJoblens } from '../src/start-joblens.js';
import { bareAttemptSpan, bareProvider, noopLogExporter, noopSpanExporter } from './bare-attempt-span.js';
import { median, printFigure, progress } from './bench-stats.js';
import { shutdownBullmqOtel, withBullmqOtel } from './bullmq-otel-arm.js';

const JOBS = Number(process.env.JOBLENS_BENCH_BULLMQ_JOBS ?? 5000);
const ROUNDS = Number(process.env.JOBLENS_BENCH_BULLMQ_ROUNDS ?? 9);
const CONCURRENCY = 10;
const url = new URL(REDIS_URL);
const connection = { host: url.hostname, port: Number(url.port || 6379), maxRetriesPerRequest: null };

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
// The yardstick: what one bare OpenTelemetry span per job costs the same worker.
const oneBareSpan: Processor = (job) => bareAttemptSpan(job.queueName, job.name, String(job.id));

/** Jobs per wall second, and this process's CPU µs per job (which a busy shared machine disturbs less). */
async function jobsPerSecond(
  processor: Processor,
  telemetry?: Telemetry,
): Promise<{ rate: number; cpuMicrosPerJob: number }> {
  const name = `joblens-bench-${randomUUID()}`;
  const queue = new Queue(name, { connection, telemetry });
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
    const worker = new Worker(name, processor, {
      connection,
      concurrency: CONCURRENCY,
      autorun: false,
      telemetry,
    });
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

type Arm = 'bare' | 'sdk' | 'span' | 'otel';
const ARMS: Record<Arm, () => ReturnType<typeof jobsPerSecond>> = {
  bare: () => jobsPerSecond(noop),
  sdk: () => jobsPerSecond(instrumented),
  span: () => jobsPerSecond(oneBareSpan),
  // BullMQ's telemetry around the same no-op processor as the bare arm.
  otel: () => withBullmqOtel((telemetry) => jobsPerSecond(noop, telemetry)),
};
const rates: Record<Arm, number[]> = { bare: [], sdk: [], span: [], otel: [] };
const cpu: Record<Arm, number[]> = { bare: [], sdk: [], span: [], otel: [] };
const ORDERS: Arm[][] = [
  ['bare', 'sdk', 'span', 'otel'],
  ['sdk', 'otel', 'bare', 'span'],
  ['otel', 'span', 'sdk', 'bare'],
  ['span', 'bare', 'otel', 'sdk'],
];
for (let round = 0; round <= ROUNDS; round++) {
  // Each arm goes first, second, third and fourth in turn, and follows each other arm once.
  for (const arm of ORDERS[round % ORDERS.length]) {
    const { rate, cpuMicrosPerJob } = await ARMS[arm]();
    // Round 0 warms up Redis scripts, the JIT and the SDK's pipeline.
    if (round > 0) {
      rates[arm].push(rate);
      cpu[arm].push(cpuMicrosPerJob);
    }
    progress(
      `bullmq-throughput: round ${round}/${ROUNDS} ${arm}: ${rate.toFixed(0)} jobs/s, ${cpuMicrosPerJob.toFixed(1)} µs CPU/job`,
    );
  }
}

printFigure('sdk_bullmq_throughput_ratio', median(rates.sdk) / median(rates.bare));
printFigure('sdk_bullmq_jobs_per_second', median(rates.sdk), 0);
printFigure('bullmq_bare_jobs_per_second', median(rates.bare), 0);
// The worker process's CPU per job, with the SDK over without: what instrumenting costs the host.
printFigure('sdk_bullmq_cpu_per_job_ratio', median(cpu.sdk) / median(cpu.bare));
// The same worker with one bare OpenTelemetry span per job and nothing else, for scale.
printFigure('bare_span_bullmq_throughput_ratio', median(rates.span) / median(rates.bare));
printFigure('bare_span_bullmq_cpu_per_job_ratio', median(cpu.span) / median(cpu.bare));
// joblens against BullMQ's own OpenTelemetry telemetry, the peer: at most 1 means it costs no more.
printFigure('bullmq_otel_bullmq_cpu_per_job_ratio', median(cpu.otel) / median(cpu.bare));
printFigure('sdk_vs_bullmq_otel_cpu_ratio', median(cpu.sdk) / median(cpu.otel));
await joblens.shutdown();
await bareProvider.shutdown();
await shutdownBullmqOtel();
