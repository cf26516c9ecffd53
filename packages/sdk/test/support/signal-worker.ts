// A worker process for the flush-on-signal test: runs one job, then waits to be signalled.
import { startJoblens } from '../../src/start-joblens.js';

const endpoint = process.argv[2];
const joblens = startJoblens({
  serviceName: 'signal-worker',
  endpoint,
  protocol: 'http/json',
  watchdog: { enabled: false },
  dumpSignal: false,
  exportTimeoutMillis: 2000,
});
await joblens.runAttempt({ queue: 'signals', jobName: 'before-sigterm', jobId: 'sig-1' }, () => 'done');
process.stdout.write('ready\n');
// Keep the process alive the way a polling worker would; SIGTERM must end it.
setInterval(() => {}, 1000);
