import { randomUUID } from 'node:crypto';
import type { JobContext, Joblens } from '../../interfaces.js';

export type ScheduledJob = {
  jobName: string;
  /** The heartbeat monitor this run checks in to. */
  monitorSlug?: string;
  /** `messaging.destination.name`. Default: the job name. */
  queue?: string;
};

/**
 * Runs a plain cron script once as one instrumented attempt, then flushes, so the run is exported
 * even if the process ends right after. The result or error passes through untouched.
 */
export async function runScheduledJob<T>(
  joblens: Joblens,
  job: ScheduledJob,
  fn: (ctx: JobContext) => Promise<T> | T,
): Promise<T> {
  const startedAtMs = Date.now();
  try {
    return await joblens.runAttempt(
      {
        queue: job.queue ?? job.jobName,
        jobName: job.jobName,
        jobId: `${job.jobName}:${startedAtMs}:${randomUUID().slice(0, 8)}`,
        attempt: 1,
        monitorSlug: job.monitorSlug,
        readyAtMs: startedAtMs,
      },
      fn,
    );
  } finally {
    await joblens.forceFlush();
  }
}
