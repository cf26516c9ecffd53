/**
 * sdk_bullmq_cpu_per_job_ratio: the CPU per job of a real BullMQ worker on the real Redis with
 * `withJoblens`, over the same worker without it (same Redis, same concurrency, same job count). Each arm
 * (bullmq-arms.ts) runs in a process of its own, kept warm across rounds; a round asks each arm in turn
 * for one run, in an order that rotates (and reverses every other round) so each arm runs in each place.
 * Every ratio is the median of the rounds' ratios between two runs of one round: a shared machine's load
 * drifts between rounds more than some of these costs, and only runs close in time see the same load.
 * CPU per job is the worker process's user and system time (all its threads), which other load disturbs
 * less than jobs per wall second (also printed, as sdk_bullmq_throughput_ratio). The SDK exports to no-op
 * exporters: the figure is the cost of instrumenting, not of a collector's network round trips.
 *
 * The other arms, for scale:
 * - als_bullmq_cpu_per_job_ratio: the bare worker after one AsyncLocalStorage was entered. On Node 20
 *   that turns on promise hooks for every promise in the process, BullMQ's and ioredis's included: the
 *   floor of any instrumentation that carries a job's context through its awaits (joblens's attempt scope,
 *   OpenTelemetry's context manager). From Node 24, AsyncLocalStorage no longer uses promise hooks.
 *   sdk_over_als_bullmq_cpu_per_job_ratio is what joblens costs above that floor.
 * - bare_span_bullmq_cpu_per_job_ratio: one bare OpenTelemetry span per job and nothing else.
 * - bullmq_otel_bullmq_cpu_per_job_ratio: BullMQ's own OpenTelemetry telemetry (`bullmq-otel`), the
 *   peer a user would pick instead; sdk_vs_bullmq_otel_cpu_ratio is joblens's CPU per job over its.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { ensureRedis } from '@joblens/test-utils';
import { median, printFigure, progress } from './bench-stats.js';
import { ARMS, type Arm } from './bullmq-arms.js';

const ROUNDS = Number(process.env.JOBLENS_BENCH_BULLMQ_ROUNDS ?? 10);

interface Run {
  rate: number;
  cpuMicrosPerJob: number;
}

interface ArmProcess {
  run(): Promise<Run>;
  stop(): Promise<void>;
}

function startArm(arm: Arm): Promise<ArmProcess> {
  const child: ChildProcess = fork(fileURLToPath(new URL('./bullmq-arm-process.ts', import.meta.url)), [], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    env: { ...process.env, JOBLENS_BENCH_BULLMQ_ARM: arm },
  });
  // The one answer awaited now: a run's, or the process's readiness. Its exit fails that wait.
  let waiting: { resolve(value: unknown): void; reject(error: Error): void } | undefined;
  const next = () => new Promise((resolve, reject) => (waiting = { resolve, reject }));
  child.on('message', (message) => waiting?.resolve(message));
  child.once('exit', (code) => waiting?.reject(new Error(`the ${arm} arm's process exited with ${code}`)));
  const ready = next();
  return ready.then(() => ({
    run: () => {
      const answer = next();
      child.send({ run: `joblens-bench-${arm}-${randomUUID()}` });
      return answer as Promise<Run>;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.send('stop');
      }),
  }));
}

/** Round `round`'s order: the arms rotated by the round, every other round reversed. */
function orderOf(round: number): Arm[] {
  const rotated = ARMS.map((_, i) => ARMS[(i + round) % ARMS.length]);
  return round % 2 === 0 ? rotated : rotated.reverse();
}

await ensureRedis();
const processes = {} as Record<Arm, ArmProcess>;
for (const arm of ARMS) processes[arm] = await startArm(arm);
const rounds: Array<Record<Arm, Run>> = [];
try {
  for (let round = 0; round <= ROUNDS; round++) {
    const runs = {} as Record<Arm, Run>;
    for (const arm of orderOf(round)) {
      runs[arm] = await processes[arm].run();
      progress(
        `bullmq-throughput: round ${round}/${ROUNDS} ${arm}: ${runs[arm].rate.toFixed(0)} jobs/s, ${runs[arm].cpuMicrosPerJob.toFixed(1)} µs CPU/job`,
      );
    }
    // Round 0 warms up Redis's scripts, each process's JIT and the SDK's pipeline.
    if (round > 0) rounds.push(runs);
  }
} finally {
  await Promise.all(ARMS.map((arm) => processes[arm].stop()));
}

/** The median over the rounds of `of(arm)` over `of(base)` within each round. */
const pairedRatio = (arm: Arm, base: Arm, of: (run: Run) => number) =>
  median(rounds.map((runs) => of(runs[arm]) / of(runs[base])));
const cpu = (run: Run) => run.cpuMicrosPerJob;
const rate = (run: Run) => run.rate;

printFigure('sdk_bullmq_throughput_ratio', pairedRatio('sdk', 'bare', rate));
printFigure('sdk_bullmq_jobs_per_second', median(rounds.map((runs) => runs.sdk.rate)), 0);
printFigure('bullmq_bare_jobs_per_second', median(rounds.map((runs) => runs.bare.rate)), 0);
printFigure('sdk_bullmq_cpu_per_job_ratio', pairedRatio('sdk', 'bare', cpu));
printFigure('als_bullmq_cpu_per_job_ratio', pairedRatio('als', 'bare', cpu));
printFigure('sdk_over_als_bullmq_cpu_per_job_ratio', pairedRatio('sdk', 'als', cpu));
printFigure('bare_span_bullmq_throughput_ratio', pairedRatio('span', 'bare', rate));
printFigure('bare_span_bullmq_cpu_per_job_ratio', pairedRatio('span', 'bare', cpu));
printFigure('bullmq_otel_bullmq_cpu_per_job_ratio', pairedRatio('otel', 'bare', cpu));
// joblens against the peer: at most 1 means it costs no more.
printFigure('sdk_vs_bullmq_otel_cpu_ratio', pairedRatio('sdk', 'otel', cpu));
