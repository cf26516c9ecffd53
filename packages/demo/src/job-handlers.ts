import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { JobContext } from '@joblens/sdk';
import { JOB_NAMES } from './scenario.js';

/** What a job's code gets besides its data: the attempt and the services it talks to. */
interface JobEnvironment {
  ctx: JobContext;
  data: Record<string, unknown>;
  jobId: string;
  attempt: number;
  /**
   * How many times the job was fetched, this run included: BullMQ counts a run its stalled check took
   * back (`attemptsStarted`), which `attempt` does not. The in-process queue has no stalls: `attempt`.
   */
  run: number;
  upstreamUrl: string;
}

class TransientSmtpError extends Error {
  override name = 'TransientSmtpError';
}
class ValidationError extends Error {
  override name = 'ValidationError';
}
class UpstreamUnavailableError extends Error {
  override name = 'UpstreamUnavailableError';
}

type Handler = (env: JobEnvironment) => Promise<unknown>;

/**
 * The demo's job code, by job name. Waits stand in for I/O (a database, SMTP, a storage bucket) and
 * hashing for CPU; faults come from real behaviour — a silent HTTP call, a promise that never settles, a
 * payload that never validates, an upstream answering 503, a synchronous loop — never from telemetry
 * made up to look like one.
 */
const HANDLERS: Record<string, Handler> = {
  [JOB_NAMES.sendEmail]: async ({ ctx, data, jobId, attempt }) => {
    await ctx.step('render-template', () => work(jobId, 20, 60));
    await ctx.step('smtp-send', async () => {
      await sleep(jitter(jobId, 60, 140));
      // A rare greylisting reply: the second attempt goes through, as mail servers intend.
      if (data.flaky === true && attempt === 1)
        throw new TransientSmtpError('450 greylisted, try again later');
    });
  },
  [JOB_NAMES.resizeImage]: async ({ ctx, jobId }) => {
    await ctx.step('download', () => sleep(jitter(jobId, 40, 120)));
    await ctx.step('resize', () => work(jobId, 30, 90));
    await ctx.step('upload', () => sleep(jitter(jobId, 40, 120)));
  },
  [JOB_NAMES.renderInvoice]: async ({ ctx, jobId }) => {
    await ctx.step('load-order', () => sleep(jitter(jobId, 120, 180)));
    await ctx.step('render', () => work(jobId, 350, 450));
    await ctx.step('store', () => sleep(jitter(jobId, 120, 180)));
  },
  [JOB_NAMES.exportReport]: async ({ ctx, jobId, upstreamUrl }) => {
    const rows = await ctx.step('query-rows', async () => {
      await sleep(jitter(jobId, 150, 250));
      return 1200;
    });
    // The fault: a call to a legacy archive service that nothing instruments, so the attempt shows
    // a silent stretch between query-rows and upload.
    await fetchText(`${upstreamUrl}/archive?delayMillis=3000&rows=${rows}`);
    await ctx.step('upload', () => sleep(jitter(jobId, 150, 250)));
  },
  [JOB_NAMES.generateExport]: async ({ ctx, jobId, upstreamUrl }) => {
    await ctx.step('query', () => sleep(jitter(jobId, 80, 120)));
    await ctx.step('stream-rows', async () => {
      ctx.checkpoint('cursor-opened', { rowsExpected: 50_000 });
      // The fault: a call to a warehouse that never answers, made with no timeout.
      await fetchText(`${upstreamUrl}/rows?cursor=${encodeURIComponent(jobId)}`);
    });
  },
  [JOB_NAMES.syncCrmContact]: async ({ ctx, data, jobId }) => {
    await ctx.step('validate', async () => {
      await sleep(jitter(jobId, 20, 40));
      if (typeof data.email !== 'string')
        throw new ValidationError(`contact ${String(data.contactId)} has no email`);
    });
    await ctx.step('push', () => sleep(jitter(jobId, 50, 100)));
  },
  [JOB_NAMES.capturePayment]: async ({ ctx, jobId, upstreamUrl }) => {
    await ctx.step('charge', async () => {
      const response = await fetch(`${upstreamUrl}/charge?job=${encodeURIComponent(jobId)}`);
      await response.text();
      if (response.status >= 500) {
        throw new UpstreamUnavailableError(`payment provider answered ${response.status}`);
      }
    });
    await ctx.step('record', () => sleep(jitter(jobId, 20, 40)));
  },
  [JOB_NAMES.syncContacts]: async ({ ctx, jobId }) => {
    await ctx.step('fetch-page', () => sleep(jitter(jobId, 60, 120)));
    await ctx.step('upsert', () => work(jobId, 20, 60));
  },
  [JOB_NAMES.renderPdf]: async ({ ctx, data, jobId }) => {
    await ctx.step('layout', async () => {
      // The fault: a huge document laid out synchronously; nothing else on this process runs meanwhile.
      if (data.huge === true) busyLoop(5000);
      else await sleep(jitter(jobId, 60, 120));
    });
    await ctx.step('rasterize', () => sleep(jitter(jobId, 60, 120)));
  },
  [JOB_NAMES.nightlyCleanup]: async ({ ctx, jobId }) => {
    await ctx.step('vacuum', () => sleep(jitter(jobId, 50, 100)));
  },
  [JOB_NAMES.importCatalog]: async ({ ctx, data, jobId }) => {
    await ctx.step('download', () => sleep(jitter(jobId, 100, 200)));
    await ctx.step('parse', async () => {
      if (data.crash === true) {
        // The fault: the kernel kills the process mid-job (OOM); nothing runs after this, no shutdown.
        await sleep(4000);
        process.kill(process.pid, 'SIGKILL');
      }
      await sleep(jitter(jobId, 100, 200));
    });
  },
  [JOB_NAMES.renderCatalog]: async ({ ctx, data, jobId, run }) => {
    await ctx.step('layout', async () => {
      // The fault: the first run holds the loop longer than the lock lasts, so BullMQ cannot renew it.
      if (data.burn === true && run === 1) busyLoop(10_000);
      else await sleep(jitter(jobId, 60, 120));
    });
    // Long enough that the run on the other host overlaps the first one's end.
    await ctx.step('rasterize', () => sleep(data.burn === true ? 6000 : jitter(jobId, 60, 120)));
  },
};

export function handlerFor(jobName: string): Handler {
  const handler = HANDLERS[jobName];
  if (!handler) throw new Error(`no demo handler for job name '${jobName}'`);
  return handler;
}

/** A stable pseudo-random duration in [min, max) per job, so runs are alike without being uniform. */
function jitter(jobId: string, min: number, max: number): number {
  const digest = createHash('sha1').update(jobId).digest();
  return min + (digest.readUInt16BE(0) / 65536) * (max - min);
}

/**
 * A checksum of the job's output (tens of microseconds of CPU), then a wait standing in for the rest of
 * the work. Healthy jobs stay light on CPU on purpose: on a loaded machine the scheduler holds back a
 * thread that keeps the CPU busy, and the watchdog would rightly see that thread's loop stall.
 */
async function work(jobId: string, minMillis: number, maxMillis: number): Promise<void> {
  createHash('sha256')
    .update(Buffer.alloc(16 * 1024, jobId))
    .digest();
  await sleep(jitter(jobId, minMillis, maxMillis));
}

/**
 * Holds the thread until it has used `cpuMillis` of CPU: a fixed amount of work, as a real layout is. A
 * wall-clock budget would be mostly spent queued for a core on a loaded machine, which the watchdog
 * rightly does not blame on the job, and the fault would go unseen. The wall-clock bound only stops a hang.
 */
function busyLoop(cpuMillis: number): void {
  const start = process.cpuUsage();
  const giveUpAt = Date.now() + cpuMillis * 6;
  let digest = Buffer.from('layout');
  while (cpuMillisSince(start) < cpuMillis && Date.now() < giveUpAt) {
    digest = createHash('sha256').update(digest).digest();
  }
}

function cpuMillisSince(start: NodeJS.CpuUsage): number {
  const { user, system } = process.cpuUsage(start);
  return (user + system) / 1000;
}

async function fetchText(url: string): Promise<string> {
  const response = await fetch(url);
  return response.text();
}
