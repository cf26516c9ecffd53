import type { LogRecordData, SpanRecord } from '@joblens/otlp-receiver';
import { ATTR_MONITOR_SLUG } from '@joblens/semconv';
import {
  makeAttemptSpan,
  makeJobLog,
  makeOldestReadyAgePoint,
  makeQueueDepthPoint,
  makeStepSpan,
} from '@joblens/test-utils';
import type { SeededRandom, Timeline } from './timeline.js';
import { canRun, type WorkerLife } from './worker-life.js';

/** One step of a job: how long it runs, and how long the job then does something no span covers. */
export interface StepPlan {
  name: string;
  ms: number;
  /** An uncovered stretch after the step (a call with no instrumentation). Default: 0-300 ms. */
  silentAfterMs?: number;
}

export interface JobPlan {
  jobName: string;
  jobId: string;
  readyMs: number;
  steps: StepPlan[];
  /** Error type of each attempt that fails before one succeeds; default none (the first succeeds). */
  failures?: string[];
  /** Every attempt fails and is retried, however many there are. */
  poison?: string;
  /** Delay between a failure and the next attempt. Default 5 s. */
  retryDelayMs?: number;
  monitorSlug?: string;
}

/** A worker consuming the queue: its life, its concurrency, and how it takes jobs. */
interface Consumer {
  life: WorkerLife;
  /** Default 1. */
  concurrency?: number;
  /** Waits this long after each job before taking the next (a throttled, starved consumer). Default 0. */
  pauseAfterMs?: number;
  /** From then on it takes no job, while the process lives on (a consumer that lost its connection). */
  stopsTakingAtMs?: number;
}

export interface QueuePlan {
  service: string;
  queue: string;
  consumers: Consumer[];
  jobs: JobPlan[];
  /** How often a consumer's queue watch reports the depth and the oldest ready job; 0 for never. Default 10 s. */
  gaugeEveryMs?: number;
}

interface Slot {
  consumer: Consumer;
  freeAtMs: number;
}

interface Waiting {
  readyMs: number;
  startMs: number;
}

/** When the worker's batch processor next exports (every 5 s, at a phase of its own). */
function exportTime(life: WorkerLife, atMs: number): number {
  const phase = (life.startMs * 7) % 5_000;
  return Math.ceil((atMs - phase) / 5_000) * 5_000 + phase + 50;
}

/**
 * Runs the queue's jobs on its consumers, each job on the slot that can start it first (as brokers hand
 * jobs to whoever asks first), and sends what the SDK would: step and attempt spans at their worker's
 * next export, `job started`, `still running` and `job ended` records, and the queue gauges.
 */
export function simulateQueue(timeline: Timeline, random: SeededRandom, plan: QueuePlan): void {
  const slots: Slot[] = plan.consumers.flatMap((consumer) =>
    Array.from({ length: consumer.concurrency ?? 1 }, () => ({ consumer, freeAtMs: consumer.life.startMs })),
  );
  const pending: { job: JobPlan; attempt: number; readyMs: number }[] = plan.jobs.map((job) => ({
    job,
    attempt: 1,
    readyMs: job.readyMs,
  }));
  const waits: Waiting[] = [];
  while (pending.length > 0) {
    pending.sort((a, b) => a.readyMs - b.readyMs);
    const next = pending.shift()!;
    const durationMs = next.job.steps.reduce((sum, step) => sum + step.ms + (step.silentAfterMs ?? 300), 200);
    let best: { slot: Slot; startMs: number } | undefined;
    for (const slot of slots) {
      const life = slot.consumer.life;
      const startMs = Math.max(next.readyMs, slot.freeAtMs, life.startMs) + random.between(5, 60);
      if (!canRun(life, startMs, durationMs)) continue;
      if (startMs >= (slot.consumer.stopsTakingAtMs ?? Number.POSITIVE_INFINITY)) continue;
      if (best === undefined || startMs < best.startMs) best = { slot, startMs };
    }
    if (best === undefined) {
      // Nobody can take it before the run ends: it waits in the queue to the end.
      waits.push({ readyMs: next.readyMs, startMs: Number.POSITIVE_INFINITY });
      continue;
    }
    waits.push({ readyMs: next.readyMs, startMs: best.startMs });
    const failure = next.job.poison ?? next.job.failures?.[next.attempt - 1];
    const endMs = runAttempt(timeline, random, plan, best.slot.consumer.life, next, best.startMs, failure);
    best.slot.freeAtMs = endMs + (best.slot.consumer.pauseAfterMs ?? 0);
    if (failure !== undefined) {
      pending.push({
        job: next.job,
        attempt: next.attempt + 1,
        readyMs: endMs + (next.job.retryDelayMs ?? 5_000),
      });
    }
  }
  sendGauges(timeline, random, plan, waits);
}

function runAttempt(
  timeline: Timeline,
  random: SeededRandom,
  plan: QueuePlan,
  life: WorkerLife,
  run: { job: JobPlan; attempt: number; readyMs: number },
  startMs: number,
  failure: string | undefined,
): number {
  const { job } = run;
  const identity = {
    resource: life.resource,
    queue: plan.queue,
    jobName: job.jobName,
    jobId: job.jobId,
    attempt: run.attempt,
    maxAttempts: job.poison ? undefined : 5,
    startMs,
    queueWaitSeconds: (startMs - run.readyMs) / 1000,
    attributes: job.monitorSlug ? { [ATTR_MONITOR_SLUG]: job.monitorSlug } : undefined,
  };
  const running = makeAttemptSpan(identity);
  const steps: SpanRecord[] = [];
  const boundaries: { atMs: number; step?: string }[] = [{ atMs: startMs }];
  let cursor = startMs + random.between(20, 150);
  for (const step of job.steps) {
    const span = makeStepSpan({ parent: running, name: step.name, startMs: cursor, endMs: cursor + step.ms });
    steps.push(span);
    boundaries.push({ atMs: cursor, step: step.name }, { atMs: cursor + step.ms });
    cursor += step.ms + (step.silentAfterMs ?? random.between(0, 300));
  }
  const endMs = cursor;
  const outcome = failure === undefined ? 'completed' : 'retry_scheduled';
  const finished = makeAttemptSpan({
    ...identity,
    traceId: running.traceId,
    spanId: running.spanId,
    durationMs: endMs - startMs,
    outcome,
    errorType: failure,
  });
  for (const step of steps) timeline.spans(exportTime(life, step.endMs), [step]);
  timeline.spans(exportTime(life, endMs), [finished]);
  if (endMs - startMs < 1_000) return endMs;
  // A job still running a second after it started gets its `job started` record, then one every 10 s.
  const logs: LogRecordData[] = [makeJobLog({ kind: 'started', attempt: running, timeMs: startMs })];
  timeline.logs(startMs + 1_000 + random.between(100, 900), logs);
  for (let t = startMs + 10_000; t < endMs; t += 10_000) {
    const last = boundaries.filter((boundary) => boundary.atMs <= t).at(-1)!;
    const open = boundaries.filter((boundary) => boundary.atMs <= t && boundary.step !== undefined).at(-1);
    const stillRunning = makeJobLog({
      kind: 'still_running',
      attempt: running,
      timeMs: t,
      silenceSeconds: (t - last.atMs) / 1000,
      elapsedSeconds: (t - startMs) / 1000,
      currentStep: open?.step,
    });
    timeline.logs(t + random.between(100, 900), [stillRunning]);
  }
  timeline.logs(endMs + random.between(100, 900), [
    makeJobLog({
      kind: 'ended',
      attempt: running,
      timeMs: endMs,
      elapsedSeconds: (endMs - startMs) / 1000,
      outcome,
    }),
  ]);
  return endMs;
}

/** The depth and oldest ready job, as the first live consumer's queue watch reads them. */
function sendGauges(timeline: Timeline, random: SeededRandom, plan: QueuePlan, waits: Waiting[]): void {
  const everyMs = plan.gaugeEveryMs ?? 10_000;
  if (everyMs <= 0) return;
  const first = Math.min(...plan.consumers.map((consumer) => consumer.life.startMs));
  for (let t = first + random.between(0, everyMs); t <= timeline.endMs; t += everyMs) {
    const reporter = plan.consumers.find((consumer) => t >= consumer.life.startMs && t < consumer.life.endMs);
    if (reporter === undefined) continue;
    const waiting = waits.filter((wait) => wait.readyMs <= t && wait.startMs > t);
    const oldest = waiting.reduce((age, wait) => Math.max(age, (t - wait.readyMs) / 1000), 0);
    timeline.points(t + random.between(20, 300), [
      makeQueueDepthPoint({
        resource: reporter.life.resource,
        timeMs: t,
        queue: plan.queue,
        state: 'waiting',
        depth: waiting.length,
      }),
      makeOldestReadyAgePoint({
        resource: reporter.life.resource,
        timeMs: t,
        queue: plan.queue,
        ageSeconds: oldest,
      }),
    ]);
  }
}
