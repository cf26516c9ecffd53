import type { JobContext } from '@joblens/sdk';
import type { DemoFault } from './demo-worker-settings.js';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const between = (min: number, max: number) => min + Math.random() * (max - min);

class UpstreamTimeoutError extends Error {
  override name = 'UpstreamTimeoutError';
}
class MalformedRowError extends Error {
  override name = 'MalformedRowError';
}

export type DemoJobKind = { jobName: string; maxAttempts: number; run: (ctx: JobContext) => Promise<void> };

const sendEmail: DemoJobKind = {
  jobName: 'send-email',
  maxAttempts: 3,
  async run(ctx) {
    await ctx.step('render', () => sleep(between(10, 50)));
    await ctx.step('deliver', () => sleep(between(50, 200)));
  },
};

// Fails most of the time, as a payment API that times out: retries pile up.
const chargeCard: DemoJobKind = {
  jobName: 'charge-card',
  maxAttempts: 4,
  async run(ctx) {
    await ctx.step('call-payment-api', async () => {
      await sleep(between(20, 80));
      if (Math.random() < 0.8) throw new UpstreamTimeoutError('payment API did not answer in time');
    });
  },
};

// Spends seconds between two steps in something nobody instrumented: a gap in the timeline.
const buildReport: DemoJobKind = {
  jobName: 'build-report',
  maxAttempts: 1,
  async run(ctx) {
    await ctx.step('query', () => sleep(between(20, 60)));
    ctx.checkpoint('rows-fetched', { rows: 1200 });
    await sleep(between(6000, 9000));
    await ctx.step('upload', () => sleep(between(20, 60)));
  },
};

// Blocks the event loop with synchronous work: every job on this worker stalls meanwhile.
const resizeImage: DemoJobKind = {
  jobName: 'resize-image',
  maxAttempts: 1,
  async run(ctx) {
    await ctx.step('resize', () => {
      const until = Date.now() + 1500;
      while (Date.now() < until) {}
    });
  },
};

// Always fails the same way, however often it is retried.
const importCsv: DemoJobKind = {
  jobName: 'import-csv',
  maxAttempts: 8,
  async run(ctx) {
    await ctx.step('parse', async () => {
      await sleep(between(5, 20));
      throw new MalformedRowError('row 17: expected 6 columns, found 5');
    });
  },
};

/** A scheduled job: quick, always completes, checks in to its heartbeat monitor by job name. */
export function scheduledJob(jobName: string): DemoJobKind {
  return { jobName, maxAttempts: 1, run: (ctx) => ctx.step('run', () => sleep(between(20, 100))) };
}

/** Picks the next job to produce: mostly healthy e-mails, plus the faults this worker injects. */
export function pickDemoJob(faults: ReadonlySet<DemoFault>, sequence: number): DemoJobKind {
  if (faults.has('block') && sequence % 20 === 7) return resizeImage;
  if (faults.has('hang') && sequence % 12 === 5) return buildReport;
  if (faults.has('poison') && sequence % 25 === 3) return importCsv;
  if (faults.has('flaky') && sequence % 3 === 1) return chargeCard;
  return sendEmail;
}

export const DEMO_JOB_KINDS: readonly DemoJobKind[] = [
  sendEmail,
  chargeCard,
  buildReport,
  resizeImage,
  importCsv,
];
