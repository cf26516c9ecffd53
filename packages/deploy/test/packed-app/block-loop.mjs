// A user's job that blocks the event loop for 2 s in a named function, in plain JavaScript run with plain
// node by the packed-install test: the watchdog's report should name `renderReport` at its loop.
import { runScheduledJob, startJoblens, step } from '@joblens/sdk';

function renderReport(rows) {
  const until = Date.now() + 2000;
  let lines = 0;
  while (Date.now() < until) lines += rows; // the loop is held here
  return lines;
}

const joblens = startJoblens({ serviceName: 'packed-render', watchdog: { blockedThresholdMillis: 500 } });
const lines = await runScheduledJob(joblens, { jobName: 'monthly-report' }, () =>
  step('render', async () => renderReport(3)),
);
await joblens.shutdown();
console.log(`rendered ${lines > 0}`);
