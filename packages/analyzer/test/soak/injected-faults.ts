import type { FindingType } from '@joblens/semconv';
import { makeAttemptSpan, makeEventLoopBlockedLog, makeJobLog, makeStepSpan } from '@joblens/test-utils';
import type { FindingSubject } from '../../src/detectors/finding-draft.js';
import { CRON_MONITOR, type FleetOptions } from './healthy-fleet.js';
import { type JobPlan, simulateQueue } from './queue-simulation.js';
import type { SeededRandom, Timeline } from './timeline.js';
import { sendHeartbeats, workerLife } from './worker-life.js';

const MINUTE = 60_000;

/** One of the demo's eight faults, as injected into the soak's fleet, and the finding expected of it. */
export interface InjectedFault {
  id: string;
  injectedAtMs: number;
  type: FindingType;
  /** Findings of these types about the same subject are the same fault seen from another side. */
  relatedTypes: FindingType[];
  /** Fields the finding's subject must have. */
  subject: FindingSubject;
}

/** A run of jobs of one name, one every `everyMs`, from `fromMs` to the end. */
function stream(
  fromMs: number,
  endMs: number,
  everyMs: number,
  make: (n: number, readyMs: number) => JobPlan,
): JobPlan[] {
  const jobs: JobPlan[] = [];
  for (let at = fromMs; at < endMs; at += everyMs) jobs.push(make(jobs.length, at));
  return jobs;
}

/**
 * The demo's eight faults, each on services of its own beside the healthy fleet, injected from minute 3
 * (the busy host) to minute 17; `fleet` receives what the healthy fleet must change (the cron stops).
 */
export function injectFaults(
  timeline: Timeline,
  random: SeededRandom,
  t0: number,
  fleet: FleetOptions,
): InjectedFault[] {
  const end = timeline.endMs;
  const forever = end + 60_000;
  const faults: InjectedFault[] = [];

  // busy-host: billing-1 takes most invoices while billing-2 and billing-3, throttled, starve, with a backlog.
  const billing = [1, 2, 3].map((n) =>
    workerLife('billing', `billing-${n}`, `billing-h${n}`, t0 + n * 300, forever, 'runs-on'),
  );
  for (const life of billing) sendHeartbeats(timeline, life, random);
  const busyAt = t0 + 3 * MINUTE;
  const invoices: JobPlan[] = [];
  for (let at = busyAt; at < end; at += 30_000)
    for (let n = 0; n < 80; n++)
      invoices.push({
        jobName: 'render-invoice',
        jobId: `invoice-${invoices.length}`,
        readyMs: at + n * 150,
        steps: [{ name: 'render', ms: 350 }],
      });
  simulateQueue(timeline, random, {
    service: 'billing',
    queue: 'invoices',
    consumers: billing.map((life, n) => ({ life, pauseAfterMs: n === 0 ? 0 : 3_000 })),
    jobs: invoices,
  });
  faults.push({
    id: 'busy-host',
    injectedAtMs: busyAt,
    type: 'host_imbalance',
    relatedTypes: [],
    subject: { service: 'billing', queue: 'invoices' },
  });

  // silent-call: export-report makes an 8 s call that no span covers, in every job from minute 12.
  const exporter = workerLife('reporting', 'exporter-1', 'reporting-h1', t0 + 100, forever, 'runs-on');
  sendHeartbeats(timeline, exporter, random);
  const gapAt = t0 + 12 * MINUTE;
  simulateQueue(timeline, random, {
    service: 'reporting',
    queue: 'exports',
    consumers: [{ life: exporter }],
    jobs: stream(t0 + 10_000, end, 20_000, (n, readyMs) => ({
      jobName: 'export-report',
      jobId: `export-${n}`,
      readyMs,
      steps: [
        {
          name: 'query-rows',
          ms: random.between(500, 1_000),
          silentAfterMs: readyMs >= gapAt ? 8_000 : undefined,
        },
        { name: 'upload', ms: random.between(300, 800) },
      ],
    })),
  });
  faults.push({
    id: 'silent-call',
    injectedAtMs: gapAt,
    type: 'mystery_gap',
    relatedTypes: [],
    subject: { service: 'reporting', jobName: 'export-report' },
  });

  // hung-job: generate-export hangs inside stream-rows at minute 13, its worker's only slot held for good.
  const hungAt = t0 + 13 * MINUTE;
  const streamer = workerLife('exports', 'streamer-1', 'exports-h1', t0 + 400, forever, 'runs-on');
  sendHeartbeats(timeline, streamer, random);
  const hung = makeAttemptSpan({
    resource: streamer.resource,
    queue: 'bulk-exports',
    jobName: 'generate-export',
    jobId: 'export-hung',
    startMs: hungAt,
  });
  const stepStart = hungAt + 300;
  timeline.spans(hungAt + 2_000, [
    makeStepSpan({ parent: hung, name: 'open-cursor', startMs: hungAt + 50, endMs: stepStart }),
  ]);
  timeline.logs(hungAt + 1_500, [makeJobLog({ kind: 'started', attempt: hung, timeMs: hungAt })]);
  for (let t = hungAt + 10_000; t <= end; t += 10_000)
    timeline.logs(t + 400, [
      makeJobLog({
        kind: 'still_running',
        attempt: hung,
        timeMs: t,
        silenceSeconds: (t - stepStart) / 1000,
        elapsedSeconds: (t - hungAt) / 1000,
        currentStep: 'stream-rows',
      }),
    ]);
  faults.push({
    id: 'hung-job',
    injectedAtMs: hungAt,
    type: 'silent_job',
    relatedTypes: [],
    subject: { service: 'exports', jobName: 'generate-export' },
  });

  // poison-job: a sync-crm-contact job with a bad payload, retried every 10 s without end from minute 14,
  // beside healthy contacts syncing every 4 s.
  const poisonAt = t0 + 14 * MINUTE;
  const crm = workerLife('crm', 'crm-1', 'crm-h1', t0 + 600, forever, 'runs-on');
  sendHeartbeats(timeline, crm, random);
  simulateQueue(timeline, random, {
    service: 'crm',
    queue: 'crm-sync',
    consumers: [{ life: crm, concurrency: 2 }],
    jobs: [
      ...stream(t0 + 2_000, end, 4_000, (n, readyMs) => ({
        jobName: 'sync-crm-contact',
        jobId: `contact-${n}`,
        readyMs,
        steps: [{ name: 'push', ms: random.between(100, 400) }],
      })),
      {
        jobName: 'sync-crm-contact',
        jobId: 'contact-poison',
        readyMs: poisonAt,
        steps: [{ name: 'push', ms: 200 }],
        poison: 'ValidationError',
        retryDelayMs: 10_000,
      },
    ],
  });
  faults.push({
    id: 'poison-job',
    injectedAtMs: poisonAt,
    type: 'runaway_retries',
    relatedTypes: [],
    subject: { service: 'crm', jobName: 'sync-crm-contact' },
  });

  // blocked-loop: render-pdf lays out a huge document synchronously on pdf-1 at minute 15, 5 s of CPU.
  const blockAt = t0 + 15 * MINUTE;
  const pdf = workerLife('documents', 'pdf-1', 'pdf-h1', t0 + 700, forever, 'runs-on');
  sendHeartbeats(timeline, pdf, random);
  simulateQueue(timeline, random, {
    service: 'documents',
    queue: 'pdf',
    consumers: [{ life: pdf }],
    jobs: stream(t0 + 3_000, end, 6_000, (n, readyMs) => ({
      jobName: 'render-pdf',
      jobId: `pdf-${n}`,
      readyMs,
      steps: [
        {
          name: 'layout',
          ms: readyMs >= blockAt && readyMs < blockAt + 6_000 ? 5_200 : random.between(200, 800),
        },
      ],
    })),
  });
  timeline.logs(blockAt + 6_000, [
    makeEventLoopBlockedLog({
      resource: pdf.resource,
      timeMs: blockAt + 5_000,
      blockedSeconds: 5,
      cpuSeconds: 4.9,
    }),
  ]);
  faults.push({
    id: 'blocked-loop',
    injectedAtMs: blockAt,
    type: 'event_loop_blocked',
    relatedTypes: ['silent_job', 'silent_worker'],
    subject: { service: 'documents' },
  });

  // upstream-outage: the payment provider answers 503 for 5 s at minute 16 while a batch of 24 payments
  // arrives; every one fails once and succeeds on retry, beside the steady payments of every 2 s.
  const outageAt = t0 + 16 * MINUTE;
  const payers = [1, 2].map((n) =>
    workerLife('payments', `payer-${n}`, `payments-h${n}`, t0 + n * 800, forever, 'runs-on'),
  );
  for (const life of payers) sendHeartbeats(timeline, life, random);
  simulateQueue(timeline, random, {
    service: 'payments',
    queue: 'payments',
    consumers: payers.map((life) => ({ life, concurrency: 8 })),
    jobs: [
      ...stream(t0 + 1_000, end, 2_000, (n, readyMs) => ({
        jobName: 'capture-payment',
        jobId: `payment-${n}`,
        readyMs,
        steps: [{ name: 'capture', ms: random.between(150, 500) }],
      })),
      ...Array.from({ length: 24 }, (_, n) => ({
        jobName: 'capture-payment',
        jobId: `batch-${n}`,
        readyMs: outageAt + n * 100,
        steps: [{ name: 'capture', ms: 300 }],
        failures: ['ProviderUnavailable'],
        retryDelayMs: 30_000,
      })),
    ],
  });
  faults.push({
    id: 'upstream-outage',
    injectedAtMs: outageAt,
    type: 'retry_storm',
    relatedTypes: ['runaway_retries'],
    subject: { service: 'payments', jobName: 'capture-payment' },
  });

  // stuck-worker: sync-1's consumer stops taking jobs at minute 17 while the process beats on and jobs pile up.
  const stuckAt = t0 + 17 * MINUTE;
  const syncer = workerLife('sync', 'sync-1', 'sync-h1', t0 + 900, forever, 'runs-on');
  sendHeartbeats(timeline, syncer, random);
  simulateQueue(timeline, random, {
    service: 'sync',
    queue: 'sync',
    consumers: [{ life: syncer, stopsTakingAtMs: stuckAt }],
    jobs: stream(t0 + 4_000, end, 5_000, (n, readyMs) => ({
      jobName: 'sync-inventory',
      jobId: `sync-${n}`,
      readyMs,
      steps: [{ name: 'pull', ms: random.between(200, 900) }],
    })),
  });
  faults.push({
    id: 'stuck-worker',
    injectedAtMs: stuckAt,
    type: 'silent_worker',
    relatedTypes: ['queue_starvation'],
    subject: { service: 'sync', queue: 'sync' },
  });

  // missed-checkin: the minutely cron stops running at minute 18.
  const cronStopsAt = t0 + 18 * MINUTE;
  fleet.cronUntilMs = cronStopsAt;
  faults.push({
    id: 'missed-checkin',
    injectedAtMs: cronStopsAt,
    type: 'missed_heartbeat',
    relatedTypes: [],
    subject: { monitor: CRON_MONITOR.slug },
  });

  return faults;
}
