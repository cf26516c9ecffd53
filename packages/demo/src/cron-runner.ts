import { type Joblens, runScheduledJob } from '@joblens/sdk';
import { handlerFor } from './job-handlers.js';
import type { CronConfig } from './worker-protocol.js';

export interface CronHandle {
  stop(): void;
}

/**
 * A scheduled job that checks in to its heartbeat monitor by running: each run's attempt carries the
 * monitor slug, and the analyzer counts a completed attempt as a check-in. Stopping it is the fault.
 */
export function startCron(joblens: Joblens, cron: CronConfig): CronHandle {
  let runs = 0;
  const runOnce = () => {
    runs++;
    runScheduledJob(joblens, { jobName: cron.jobName, monitorSlug: cron.monitorSlug }, (ctx) =>
      handlerFor(cron.jobName)({
        ctx,
        data: {},
        jobId: `${cron.jobName}-${runs}`,
        attempt: 1,
        run: 1,
        upstreamUrl: '',
      }),
    ).catch(() => {});
  };
  runOnce();
  const timer = setInterval(runOnce, cron.everyMillis);
  return {
    stop() {
      clearInterval(timer);
    },
  };
}
