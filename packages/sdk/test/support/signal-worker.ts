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
if (process.argv[3] === 'own-handler') {
  // A graceful close of its own: finish one more job, then shut joblens down and exit.
  process.on('SIGTERM', async () => {
    await new Promise((resolve) => setTimeout(resolve, 100));
    await joblens.runAttempt({ queue: 'signals', jobName: 'during-close', jobId: 'sig-2' }, () => 'closed');
    await joblens.shutdown();
    process.exit(0);
  });
}
process.stdout.write('ready\n');
// Keep the process alive the way a polling worker would; SIGTERM must end it.
setInterval(() => {}, 1000);
