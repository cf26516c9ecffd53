import { randomUUID } from 'node:crypto';
import { startJoblens } from '@joblens/sdk';
import { DEMO_JOB_KINDS, type DemoJobKind, pickDemoJob, scheduledJob } from './demo-jobs.js';
import { readDemoWorkerSettings } from './demo-worker-settings.js';
import { LocalQueue, type QueuedJob } from './local-queue.js';

// A tiny instrumented worker for the compose stack and the deploy package's live test: it produces jobs
// into its own in-process queue and runs them with @joblens/sdk, injecting the faults it is asked for.
// OTLP endpoint, service name and export interval come from the standard OTEL_* variables.

const settings = readDemoWorkerSettings(process.env);
const joblens = startJoblens({
  serviceInstanceId: settings.instanceId,
  prometheusPort: settings.prometheusPort,
  stillRunningIntervalMillis: settings.stillRunningIntervalMillis,
});
const queue = new LocalQueue(settings.queue);
joblens.watchQueue(queue);

const kinds = new Map<string, DemoJobKind>(DEMO_JOB_KINDS.map((kind) => [kind.jobName, kind]));
if (settings.scheduledJobName) kinds.set(settings.scheduledJobName, scheduledJob(settings.scheduledJobName));

let sequence = 0;
function produce(kind: DemoJobKind): void {
  queue.add({
    jobId: randomUUID(),
    jobName: kind.jobName,
    attempt: 1,
    maxAttempts: kind.maxAttempts,
    readyAtMs: Date.now(),
  });
}
setInterval(() => produce(pickDemoJob(settings.faults, sequence++)), 1000 / settings.ratePerSecond);
if (settings.scheduledJobName) {
  const job = scheduledJob(settings.scheduledJobName);
  produce(job);
  setInterval(() => produce(job), settings.scheduledPeriodSeconds * 1000);
}

async function runOne(job: QueuedJob): Promise<void> {
  const kind = kinds.get(job.jobName);
  if (!kind) return;
  let ids: { traceId: string; spanId: string } | undefined;
  try {
    await joblens.runAttempt(
      {
        queue: settings.queue,
        jobName: job.jobName,
        jobId: job.jobId,
        attempt: job.attempt,
        maxAttempts: job.maxAttempts,
        readyAtMs: job.readyAtMs,
        producerCarrier: job.carrier,
        previousAttempt: job.previousAttempt,
      },
      async (ctx) => {
        ids = { traceId: ctx.traceId, spanId: ctx.spanId };
        await kind.run(ctx);
      },
    );
  } catch {
    // The SDK recorded the failure; schedule the retry the way a queue would, in the same trace.
    if (job.attempt < job.maxAttempts && ids) {
      queue.add({
        ...job,
        attempt: job.attempt + 1,
        readyAtMs: Date.now() + 1000 * job.attempt,
        carrier: job.carrier ?? { traceparent: `00-${ids.traceId}-${ids.spanId}-01` },
        previousAttempt: ids,
      });
    }
  }
}

let running = 0;
setInterval(() => {
  while (running < settings.concurrency) {
    const job = queue.take(Date.now());
    if (!job) return;
    running++;
    void runOne(job).finally(() => {
      running--;
      queue.done();
    });
  }
}, 20);
