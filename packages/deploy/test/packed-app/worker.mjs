// A user's BullMQ worker in plain JavaScript, instrumented as the README shows. Run with plain node by
// the packed-install test: `node worker.mjs <queue> <jobs>`; it enqueues the jobs, works them and exits.
import { startJoblens, step } from '@joblens/sdk';
import { withJoblens } from '@joblens/sdk/bullmq';
import { Queue, QueueEvents, Worker } from 'bullmq';

const [queueName, jobCount = '2'] = process.argv.slice(2);
const connection = { host: '127.0.0.1', port: 6379, maxRetriesPerRequest: null };
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

const joblens = startJoblens({ serviceName: 'packed-mailer' }); // OTLP to OTEL_EXPORTER_OTLP_ENDPOINT
const worker = new Worker(
  queueName,
  withJoblens(joblens, async (job) => {
    const user = await step('load-user', async () => ({ id: job.data.userId }));
    await sleep(3000); // a silent call: no step runs while it waits
    await step('send', () => sleep(20));
    return user.id;
  }),
  { connection },
);

const queue = new Queue(queueName, { connection });
const events = new QueueEvents(queueName, { connection });
await events.waitUntilReady();
const jobs = await queue.addBulk(
  Array.from({ length: Number(jobCount) }, (_, i) => ({ name: 'send-digest', data: { userId: i } })),
);
await Promise.all(jobs.map((job) => job.waitUntilFinished(events, 60_000)));
await worker.close();
await Promise.all([queue.obliterate({ force: true }), events.close()]);
await queue.close();
await joblens.shutdown();
console.log(`processed ${jobs.length}`);
