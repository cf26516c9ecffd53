import type { JobPlan, StepPlan } from './queue-simulation.js';
import { simulateQueue } from './queue-simulation.js';
import type { SeededRandom, Timeline } from './timeline.js';
import { sendHeartbeats, type WorkerLife, workerLife } from './worker-life.js';

const MINUTE = 60_000;

/** The heartbeat monitor the minutely cron wrapper checks in to. */
export const CRON_MONITOR = { slug: 'minutely-report', periodSeconds: 60, graceSeconds: 30 };

/** The parts of the fleet a fault plan may change: its cron schedule stops when the cron is broken. */
export interface FleetOptions {
  /** The minutely cron runs until then (default: to the end). */
  cronUntilMs?: number;
}

function steps(random: SeededRandom, names: string[], lowMs: number, highMs: number): StepPlan[] {
  return names.map((name) => ({ name, ms: random.between(lowMs, highMs) }));
}

/** Jobs arriving in bursts: the queue fills, drains within seconds, and fills again. */
function bursts(
  random: SeededRandom,
  t0: number,
  endMs: number,
  shape: { everyMs: number; offsetMs: number; low: number; high: number; jobName: string; prefix: string },
  stepsOf: () => StepPlan[],
  failureRate = 0,
): JobPlan[] {
  const jobs: JobPlan[] = [];
  for (let at = t0 + shape.offsetMs; at < endMs; at += shape.everyMs) {
    const size = Math.floor(random.between(shape.low, shape.high));
    for (let n = 0; n < size; n++) {
      const retried = random.chance(failureRate);
      jobs.push({
        jobName: shape.jobName,
        jobId: `${shape.prefix}-${jobs.length}`,
        readyMs: at + random.between(0, 2_000),
        steps: stepsOf(),
        // Retries that succeed on the second attempt.
        failures: retried ? [random.chance(0.5) ? 'SmtpTimeout' : 'ECONNRESET'] : undefined,
      });
    }
  }
  return jobs;
}

/** Four mailers, restarted by a rolling deploy at 10 and 20 minutes: every worker stops and a new one starts. */
function mailers(timeline: Timeline, random: SeededRandom, t0: number): WorkerLife[] {
  const lives: WorkerLife[] = [];
  const deploys = [t0 + 10 * MINUTE, t0 + 20 * MINUTE, Number.POSITIVE_INFINITY];
  for (let n = 1; n <= 4; n++) {
    let startMs = t0 + random.between(0, 3_000);
    deploys.forEach((deployMs, version) => {
      // Rolling: one worker every 15 s; its replacement starts 5 s after it stopped.
      const stopMs = Math.min(deployMs + (n - 1) * 15_000, timeline.endMs + 60_000);
      const ending = deployMs === Number.POSITIVE_INFINITY ? 'runs-on' : 'stops';
      lives.push(workerLife('shop', `mailer-${n}-v${version + 1}`, `shop-h${n}`, startMs, stopMs, ending));
      startMs = stopMs + 5_000;
    });
  }
  return lives;
}

/** Thumbnails autoscale: two workers always, three more from 5 to 15 minutes, two more from 25 minutes. */
function thumbnailers(timeline: Timeline, t0: number): WorkerLife[] {
  const forever = timeline.endMs + 60_000;
  return [
    workerLife('media', 'thumb-1', 'media-h1', t0, forever, 'runs-on'),
    workerLife('media', 'thumb-2', 'media-h2', t0 + 1_000, forever, 'runs-on'),
    ...[3, 4, 5].map((n) =>
      workerLife(
        'media',
        `thumb-${n}`,
        `media-h${n}`,
        t0 + 5 * MINUTE + n * 2_000,
        t0 + 15 * MINUTE + n * 3_000,
        'stops',
      ),
    ),
    ...[6, 7].map((n) =>
      workerLife('media', `thumb-${n}`, `media-h${n}`, t0 + 25 * MINUTE + n * 2_000, forever, 'runs-on'),
    ),
  ];
}

/**
 * Healthy, bursty traffic for `timeline`: deploys, autoscaling, a minutely cron wrapper, long jobs with
 * steps and `still running` records, queues that drain and refill, an idle worker on an empty queue, a
 * slow but steady job, and retries that succeed on the second attempt. Nothing here is a problem.
 */
export function simulateHealthyFleet(
  timeline: Timeline,
  random: SeededRandom,
  t0: number,
  options: FleetOptions = {},
): void {
  const end = timeline.endMs;
  const forever = end + 60_000;

  const mailerLives = mailers(timeline, random, t0);
  for (const life of mailerLives) sendHeartbeats(timeline, life, random);
  simulateQueue(timeline, random, {
    service: 'shop',
    queue: 'emails',
    consumers: mailerLives.map((life) => ({ life, concurrency: 3 })),
    jobs: bursts(
      random,
      t0,
      end,
      { everyMs: 30_000, offsetMs: 2_000, low: 10, high: 40, jobName: 'send-welcome', prefix: 'mail' },
      () => steps(random, ['load-user', 'render', 'send'], 80, 600),
      0.05,
    ),
  });

  const thumbLives = thumbnailers(timeline, t0);
  for (const life of thumbLives) sendHeartbeats(timeline, life, random);
  simulateQueue(timeline, random, {
    service: 'media',
    queue: 'thumbnails',
    consumers: thumbLives.map((life) => ({ life, concurrency: 2 })),
    jobs: bursts(
      random,
      t0,
      end,
      { everyMs: 45_000, offsetMs: 7_000, low: 10, high: 40, jobName: 'resize', prefix: 'img' },
      () => steps(random, ['download', 'resize', 'upload'], 150, 900),
      0.03,
    ),
  });

  // Long reports: minutes each, a step every few seconds, `still running` records all along.
  const reporters = [1, 2].map((n) =>
    workerLife('analytics', `reporter-${n}`, `analytics-h${n}`, t0 + n * 500, forever, 'runs-on'),
  );
  for (const life of reporters) sendHeartbeats(timeline, life, random);
  const reports: JobPlan[] = [];
  for (let at = t0 + 30_000; at < end; at += random.between(2.5, 4) * MINUTE) {
    const chunks = Math.floor(random.between(60, 110));
    reports.push({
      jobName: 'build-report',
      jobId: `report-${reports.length}`,
      readyMs: at,
      steps: Array.from({ length: chunks }, (_, i) => ({
        name: i === 0 ? 'query' : i === chunks - 1 ? 'upload' : 'aggregate-chunk',
        ms: random.between(1_500, 3_500),
      })),
    });
  }
  simulateQueue(timeline, random, {
    service: 'analytics',
    queue: 'reports',
    consumers: reporters.map((life) => ({ life })),
    jobs: reports,
  });

  // A slow but steady ledger reconciliation: about a minute per job, progress every few seconds, one after another.
  const ledger = workerLife('finance', 'ledger-1', 'finance-h1', t0 + 200, forever, 'runs-on');
  sendHeartbeats(timeline, ledger, random);
  const ledgerJobs: JobPlan[] = [];
  for (let at = t0 + 5_000; at < end; at += 70_000) {
    ledgerJobs.push({
      jobName: 'reconcile-ledger',
      jobId: `ledger-${ledgerJobs.length}`,
      readyMs: at,
      steps: steps(
        random,
        Array.from({ length: 16 }, (_, i) => `account-batch-${i}`),
        2_500,
        4_000,
      ),
    });
  }
  simulateQueue(timeline, random, {
    service: 'finance',
    queue: 'ledger',
    consumers: [{ life: ledger }],
    jobs: ledgerJobs,
  });

  // An archiver idle on an empty queue all along: alive, reporting, with nothing to do.
  const archiver = workerLife('archive', 'archiver-1', 'archive-h1', t0 + 300, forever, 'runs-on');
  sendHeartbeats(timeline, archiver, random);
  simulateQueue(timeline, random, {
    service: 'archive',
    queue: 'cold-storage',
    consumers: [{ life: archiver }],
    jobs: [],
  });

  // `joblens run --monitor minutely-report` every minute: a new short-lived worker each time, that stops.
  const cronUntil = Math.min(options.cronUntilMs ?? end, end);
  for (let minute = 0; t0 + minute * MINUTE < cronUntil; minute++) {
    const startMs = t0 + minute * MINUTE + random.between(0, 1_500);
    const workMs = random.between(400, 2_500);
    // The wrapper starts the SDK, runs the command, then shuts down: a second or two around the work.
    const life = workerLife('cron', `run-${minute}`, 'cron-h1', startMs, startMs + workMs + 2_500, 'stops');
    sendHeartbeats(timeline, life, random, { everyMs: 60_000 });
    simulateQueue(timeline, random, {
      service: 'cron',
      queue: CRON_MONITOR.slug,
      consumers: [{ life }],
      jobs: [
        {
          jobName: CRON_MONITOR.slug,
          jobId: `cron-${minute}`,
          readyMs: startMs,
          steps: [{ name: 'build', ms: workMs }],
          monitorSlug: CRON_MONITOR.slug,
        },
      ],
      gaugeEveryMs: 0,
    });
  }
}
