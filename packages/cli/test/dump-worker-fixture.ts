// A worker for dump.test.ts: one long job that waits for `finish` on stdin, so `joblens dump` finds it mid-step.
import { startJoblens } from '@joblens/sdk';

const [dumpDirectory, endpoint] = process.argv.slice(2);
const joblens = startJoblens({
  serviceName: 'dump-fixture',
  endpoint,
  protocol: 'http/json',
  dumpSignal: 'SIGUSR2',
  dumpDirectory,
  flushOnSignals: false,
  watchdog: { enabled: false },
});
const finish = new Promise<void>((resolve) => {
  process.stdin.on('data', (chunk) => {
    if (String(chunk).includes('finish')) resolve();
  });
});
await joblens.runAttempt({ queue: 'imports', jobName: 'long-import', jobId: 'job-7' }, async (ctx) => {
  await ctx.step('download', async () => {});
  await ctx.step('parse-rows', async () => {
    process.stdout.write(`ready ${process.pid}\n`);
    await finish;
  });
});
await joblens.shutdown();
process.stdout.write('done\n');
// stdin stays open (the test holds the pipe); the job is over, so leave.
process.exit(0);
