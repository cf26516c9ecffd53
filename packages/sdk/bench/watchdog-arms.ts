/**
 * sdk_watchdog_idle_cpu_ratio: the process's CPU (every thread, so the watchdog's own included) for the
 * same paced job work with the watchdog on, divided by the same without it. The work is a worker's
 * ordinary day: short no-op jobs in small batches with idle time between, so the watchdog runs its
 * checks and heartbeats throughout but never sees a block; 1.0 means it costs nothing measurable.
 * Each arm is a fresh SDK instance per round, measured after its start-up (the thread's boot is a
 * one-off, not an idle cost). A round runs both arms back to back, alternating which goes first so
 * drift hits both; the figure is the median of the rounds' ratios, which an odd round (a collection of
 * the previous instance's garbage, a neighbour's burst on a shared machine) does not move. Paired by
 * round rather than a ratio of the arms' medians: on a loaded two-core machine the load drifts between
 * rounds more than the watchdog costs, and only a pair run back to back sees the same load.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { median, progress } from './bench-stats.js';
import { startBenchJoblens } from './start-bench-joblens.js';

const ROUNDS = Number(process.env.JOBLENS_BENCH_WATCHDOG_ROUNDS ?? 16);
/** Wall time of one arm's work, and its batches: 40 jobs every 25 ms, 1600 jobs a second. */
const ARM_MILLIS = Number(process.env.JOBLENS_BENCH_WATCHDOG_MILLIS ?? 1500);
const BATCH_JOBS = 40;
const BATCH_EVERY_MILLIS = 25;
/**
 * Lets the watchdog thread boot before the measurement starts. Its start-up takes about 100 ms of CPU,
 * which on a loaded two-core machine (a neighbour's benchmark or test) stretches past 300 ms of wall
 * time and leaked into the measured work; what it costs is printed apart (sdk_watchdog_start_cpu_millis).
 */
const SETTLE_MILLIS = Number(process.env.JOBLENS_BENCH_WATCHDOG_SETTLE_MILLIS ?? 1200);

async function pacedWork(run: (id: string) => Promise<void>): Promise<void> {
  const endAt = Date.now() + ARM_MILLIS;
  let id = 0;
  while (Date.now() < endAt) {
    for (let i = 0; i < BATCH_JOBS; i++) await run(String(id++));
    await sleep(BATCH_EVERY_MILLIS);
  }
}

type ArmCpu = { startMicros: number; workMicros: number };

function cpuMicrosSince(before: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(before);
  return used.user + used.system;
}

/** CPU microseconds (user + system, all threads) the arm's start-up and then its work took. */
async function armCpu(watchdog: boolean): Promise<ArmCpu> {
  const started = process.cpuUsage();
  const joblens = startBenchJoblens('joblens-bench-watchdog', { watchdog: { enabled: watchdog } });
  try {
    await sleep(SETTLE_MILLIS);
    const startMicros = cpuMicrosSince(started);
    const before = process.cpuUsage();
    await pacedWork((id) =>
      joblens.runAttempt({ queue: 'bench-queue', jobName: 'noop', jobId: id }, () => undefined),
    );
    return { startMicros, workMicros: cpuMicrosSince(before) };
  } finally {
    await joblens.shutdown();
  }
}

/**
 * Runs both arms `ROUNDS` times; resolves with the median of the rounds' ratios of the work's CPU (with /
 * without), and the median of the rounds' differences of the start-up's CPU (with − without), in ms.
 */
export async function watchdogIdleCpu(): Promise<{ ratio: number; startMillis: number }> {
  const withWatchdog: number[] = [];
  const without: number[] = [];
  const ratios: number[] = [];
  const startMillis: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const cpu: Partial<Record<'on' | 'off', ArmCpu>> = {};
    for (const watchdog of round % 2 === 0 ? [true, false] : [false, true]) {
      cpu[watchdog ? 'on' : 'off'] = await armCpu(watchdog);
    }
    const { on, off } = cpu as Record<'on' | 'off', ArmCpu>;
    withWatchdog.push(on.workMicros);
    without.push(off.workMicros);
    ratios.push(on.workMicros / off.workMicros);
    startMillis.push((on.startMicros - off.startMicros) / 1000);
    progress(`job-overhead: watchdog arms round ${round + 1}/${ROUNDS}`);
  }
  const extraMillisPerSecond = (median(withWatchdog) - median(without)) / ARM_MILLIS;
  progress(
    `job-overhead: paced work used ${(median(withWatchdog) / 1000).toFixed(1)} ms CPU with the watchdog, ` +
      `${(median(without) / 1000).toFixed(1)} ms without (medians of ${ROUNDS} rounds of ${ARM_MILLIS} ms): ` +
      `${extraMillisPerSecond.toFixed(2)} ms of CPU a second`,
  );
  return { ratio: median(ratios), startMillis: median(startMillis) };
}
