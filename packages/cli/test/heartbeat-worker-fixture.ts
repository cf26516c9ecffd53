// A worker for run-leaves-no-finding.test.ts that only beats: the test kills it with SIGKILL, so it
// never gets to announce a stop, as a process killed by the OOM killer never does.
import { startJoblens } from '@joblens/sdk';

const [endpoint] = process.argv.slice(2);
startJoblens({
  serviceName: 'cron-host',
  endpoint,
  protocol: 'http/json',
  metricExportIntervalMillis: 200,
  flushOnSignals: false,
  dumpSignal: false,
  watchdog: { enabled: false },
});
process.stdout.write(`ready ${process.pid}\n`);
// Keep the process alive the way a polling worker would.
setInterval(() => {}, 1000);
