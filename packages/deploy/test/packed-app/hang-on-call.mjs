// A user's job that awaits an HTTP call to a server that never answers, in plain JavaScript run with
// plain node by the packed-install test. Nothing in it tells joblens about the call: the still-running
// records should name it, and the analyzer's silent_job with them. Short intervals stand in for a long
// hang; the test ends the process once it has seen the finding.
import { runScheduledJob, startJoblens, step } from '@joblens/sdk';

const [url] = process.argv.slice(2);
const joblens = startJoblens({
  serviceName: 'packed-export',
  stillRunningIntervalMillis: 500,
  sampling: { gapThresholdMillis: 200 },
});
console.log('waiting on the call');
await runScheduledJob(joblens, { jobName: 'export-rows' }, () =>
  step('stream-rows', () => fetch(url).then((response) => response.text())),
);
