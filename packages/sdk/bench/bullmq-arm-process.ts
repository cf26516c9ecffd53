/**
 * One arm of the BullMQ bench in a process of its own (see bullmq-arms.ts), driven by the bench over
 * IPC: `{ run: queueName }` fills that queue with no-op jobs, works them off with a real BullMQ worker
 * on the real Redis and answers with the jobs per wall second and this process's CPU per job;
 * `'stop'` takes the arm down and exits.
 */
import { ensureRedis, REDIS_URL } from '@joblens/test-utils';
import { Queue, Worker } from 'bullmq';
import { ARMS, type Arm, setUpArm } from './bullmq-arms.js';

const JOBS = Number(process.env.JOBLENS_BENCH_BULLMQ_JOBS ?? 5000);
const CONCURRENCY = 10;
const url = new URL(REDIS_URL);
const connection = { host: url.hostname, port: Number(url.port || 6379), maxRetriesPerRequest: null };

const arm = process.env.JOBLENS_BENCH_BULLMQ_ARM as Arm;
if (!ARMS.includes(arm)) throw new Error(`JOBLENS_BENCH_BULLMQ_ARM must be one of ${ARMS.join(', ')}`);
await ensureRedis();
const setup = setUpArm(arm);

/** Jobs per wall second, and this process's CPU µs per job (every thread's, the SDK's own included). */
async function runJobs(name: string): Promise<{ rate: number; cpuMicrosPerJob: number }> {
  const queue = new Queue(name, { connection, telemetry: setup.telemetry });
  try {
    await queue.addBulk(
      Array.from({ length: JOBS }, (_, i) => ({
        name: 'noop',
        data: { i },
        opts: { removeOnComplete: true, removeOnFail: true },
      })),
    );
    let completed = 0;
    const worker = new Worker(name, setup.processor, {
      connection,
      concurrency: CONCURRENCY,
      autorun: false,
      telemetry: setup.telemetry,
    });
    const done = new Promise<void>((resolve) => {
      worker.on('completed', () => {
        completed++;
        if (completed === JOBS) resolve();
      });
    });
    const startedAt = performance.now();
    const cpuBefore = process.cpuUsage();
    void worker.run();
    await done;
    const seconds = (performance.now() - startedAt) / 1000;
    const cpu = process.cpuUsage(cpuBefore);
    await worker.close();
    return { rate: JOBS / seconds, cpuMicrosPerJob: (cpu.user + cpu.system) / JOBS };
  } finally {
    await queue.obliterate({ force: true }).catch(() => {});
    await queue.close();
  }
}

process.on('message', (message: { run: string } | 'stop') => {
  if (message === 'stop') {
    void setup.shutdown().finally(() => process.exit(0));
    return;
  }
  void runJobs(message.run).then(
    (result) => process.send?.(result),
    (error: unknown) => {
      process.stderr.write(`bullmq arm ${arm}: ${String(error)}\n`);
      process.exit(1);
    },
  );
});
process.send?.('ready');
