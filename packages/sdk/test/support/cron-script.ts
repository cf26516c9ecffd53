// A cron script for the process-lifetime test: one scheduled run, no shutdown call. The process must
// end by itself once the script's own work is done. The watchdog is off until its thread stops
// holding the process open (its message listener re-refs the worker after unref).
import { runScheduledJob } from '../../src/adapters/generic/run-scheduled-job.js';
import { startJoblens } from '../../src/start-joblens.js';

const joblens = startJoblens({
  serviceName: 'cron-script',
  endpoint: process.argv[2],
  protocol: 'http/json',
  watchdog: { enabled: false },
});
const rows = await runScheduledJob(
  joblens,
  { jobName: 'nightly-cleanup', monitorSlug: 'nightly-cleanup' },
  (job) => job.step('delete-old-rows', () => 17),
);
process.stdout.write(`deleted ${rows}\n`);
