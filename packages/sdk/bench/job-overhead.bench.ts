/**
 * sdk_job_overhead_ratio: the per-job cost of an instrumented no-op `runAttempt` divided by the cost
 * of one bare OpenTelemetry span with the same attributes, both through a BatchSpanProcessor into a
 * no-op exporter (the network is not what is measured). Rounds alternate between the two so drift
 * in machine load hits both; the medians of the rounds are compared after warmup rounds.
 *
 * sdk_watchdog_idle_cpu_ratio: the same jobs, paced as a worker runs them, with and without the
 * event-loop watchdog: CPU with / CPU without (see watchdog-arms.ts). sdk_watchdog_start_cpu_millis: the
 * CPU the watchdog thread's start-up adds, once per process, kept out of that ratio.
 */
import { hrtime } from 'node:process';
import { bareAttemptSpan, bareProvider } from './bare-attempt-span.js';
import { median, printFigure, progress } from './bench-stats.js';
import { startBenchJoblens } from './start-bench-joblens.js';
import { watchdogIdleCpu } from './watchdog-arms.js';

const JOBS_PER_ROUND = Number(process.env.JOBLENS_BENCH_JOBS ?? 5000);
const WARMUP_ROUNDS = 3;
const ROUNDS = Number(process.env.JOBLENS_BENCH_ROUNDS ?? 15);
const QUEUE = 'bench-queue';

const joblens = startBenchJoblens('joblens-bench');

let jobCounter = 0;

async function instrumentedJob(): Promise<void> {
  const id = String(jobCounter++);
  await joblens.runAttempt(
    { queue: QUEUE, jobName: 'noop', jobId: id, attempt: 1, maxAttempts: 3, readyAtMs: Date.now() },
    () => undefined,
  );
}

function bareJob(): Promise<void> {
  return bareAttemptSpan(QUEUE, 'noop', String(jobCounter++));
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

const watchdog = await watchdogIdleCpu();
printFigure('sdk_watchdog_idle_cpu_ratio', watchdog.ratio);
// The thread's start-up, a one-off kept out of the ratio: CPU ms it adds to startJoblens.
printFigure('sdk_watchdog_start_cpu_millis', watchdog.startMillis, 1);
