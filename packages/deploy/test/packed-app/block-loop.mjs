// A user's job that blocks the event loop with 2 s of CPU in a named function, in plain JavaScript run with
// plain node by the packed-install test: the watchdog's report should name `renderReport` at its loop.
// CPU, not wall time: on a machine whose cores are taken, a wall-clock loop barely runs, and a pause
// request lands only where JavaScript runs.
import { runScheduledJob, startJoblens, step } from '@joblens/sdk';

function renderReport(rows) {
  const start = process.cpuUsage();
  const giveUpAt = Date.now() + 60_000;
  let lines = 0;
  while (process.cpuUsage(start).user < 2e6 && Date.now() < giveUpAt) lines += rows; // the loop is held here
  return lines;
}

const joblens = startJoblens({ serviceName: 'packed-render', watchdog: { blockedThresholdMillis: 500 } });
const lines = await runScheduledJob(joblens, { jobName: 'monthly-report' }, () =>
  step('render', async () => renderReport(3)),
);
await joblens.shutdown();
console.log(`rendered ${lines > 0}`);
