import type { LogRecordData, MetricPointRecord, ResourceRecord, SpanRecord } from '@joblens/otlp-receiver';
import {
  makeAttemptSpan,
  makeHeartbeatPoint,
  makeJobLog,
  makeOldestReadyAgePoint,
  makeQueueDepthPoint,
  makeResource,
  makeStepSpan,
} from '@joblens/test-utils';
import { describe, expect, it } from 'vitest';
import { builtInDetectors } from '../../src/detectors/built-in-detectors.js';
import type { FindingDraft } from '../../src/detectors/finding-draft.js';
import { mysteryGapDetector } from '../../src/detectors/mystery-gap.js';
import { TelemetryModel } from '../../src/model/telemetry-model.js';

const T0 = 1_700_000_000_000;
const DURATION_MS = 15 * 60_000;

type Delivery =
  | { atMs: number; spans: SpanRecord[] }
  | { atMs: number; logs: LogRecordData[] }
  | { atMs: number; points: MetricPointRecord[] };

/** Deterministic pseudo-random numbers, so a failure replays. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

interface JobPlan {
  queue: string;
  jobName: string;
  steps: string[];
  readyMs: number;
}

/**
 * Four workers on four hosts draining two queues in bursts: short steps with short pauses between them,
 * a few first attempts failing and succeeding on retry, backlogs that clear within seconds.
 */
function healthyFleet(seed: number): Delivery[] {
  const rand = random(seed);
  const between = (low: number, high: number) => low + (high - low) * rand();
  const workers: ResourceRecord[] = [1, 2, 3, 4].map((n) =>
    makeResource({ service: 'shop', worker: `w${n}`, host: `h${n}` }),
  );
  const deliveries: Delivery[] = [];
  const plans: JobPlan[] = [];
  for (let burst = 0; burst * 30_000 < DURATION_MS; burst++) {
    const size = Math.floor(between(10, 30));
    for (let n = 0; n < size; n++) {
      plans.push({
        queue: 'emails',
        jobName: 'send',
        steps: ['fetch', 'render', 'send'],
        readyMs: T0 + burst * 30_000,
      });
    }
  }
  for (let burst = 0; burst * 45_000 < DURATION_MS; burst++) {
    const size = Math.floor(between(5, 10));
    for (let n = 0; n < size; n++) {
      plans.push({
        queue: 'images',
        jobName: 'resize',
        steps: ['download', 'resize', 'upload'],
        readyMs: T0 + burst * 45_000 + 7_000,
      });
    }
  }
  const waits: { queue: string; readyMs: number; startMs: number }[] = [];
  plans.forEach((plan, index) => {
    const jobId = `${plan.queue}-${index}`;
    const attempts = rand() < 0.05 ? 2 : 1;
    let readyMs = plan.readyMs;
    for (let attempt = 1; attempt <= attempts; attempt++) {
      const resource = workers[Math.floor(rand() * workers.length)];
      const startMs = readyMs + between(0, 3_000);
      waits.push({ queue: plan.queue, readyMs, startMs });
      const spans: SpanRecord[] = [];
      let cursor = startMs + between(0, 200);
      const attemptSpan = makeAttemptSpan({
        resource,
        queue: plan.queue,
        jobName: plan.jobName,
        jobId,
        attempt,
        maxAttempts: 3,
        startMs,
        queueWaitSeconds: (startMs - readyMs) / 1000,
      });
      for (const name of plan.steps) {
        const stepEnd = cursor + between(100, name === 'resize' ? 2_500 : 600);
        spans.push(makeStepSpan({ parent: attemptSpan, name, startMs: cursor, endMs: stepEnd }));
        cursor = stepEnd + between(0, 300);
      }
      const failed = attempt < attempts;
      const endMs = cursor;
      const finished = makeAttemptSpan({
        resource,
        traceId: attemptSpan.traceId,
        spanId: attemptSpan.spanId,
        queue: plan.queue,
        jobName: plan.jobName,
        jobId,
        attempt,
        maxAttempts: 3,
        startMs,
        durationMs: endMs - startMs,
        queueWaitSeconds: (startMs - readyMs) / 1000,
        outcome: failed ? 'retry_scheduled' : 'completed',
        errorType: failed ? (rand() < 0.5 ? 'SmtpTimeout' : 'ECONNRESET') : undefined,
      });
      deliveries.push({
        atMs: startMs,
        logs: [makeJobLog({ kind: 'started', attempt: finished, timeMs: startMs })],
      });
      deliveries.push({
        atMs: endMs,
        logs: [
          makeJobLog({
            kind: 'ended',
            attempt: finished,
            timeMs: endMs,
            elapsedSeconds: (endMs - startMs) / 1000,
            outcome: failed ? 'retry_scheduled' : 'completed',
          }),
        ],
      });
      // The batch processor exports a little later, children and parent not always together.
      const exportMs = endMs + between(200, 2_000);
      deliveries.push({ atMs: exportMs, spans: rand() < 0.5 ? [finished, ...spans] : [...spans, finished] });
      readyMs = endMs + 5_000;
    }
  });
  for (const [index, resource] of workers.entries()) {
    let count = 0;
    for (let t = T0 + index * 700; t < T0 + DURATION_MS; t += 10_000) {
      count += 1;
      const points = [makeHeartbeatPoint({ resource, timeMs: t, count })];
      if (index === 0) {
        for (const queue of ['emails', 'images']) {
          const waiting = waits.filter((w) => w.queue === queue && w.readyMs <= t && w.startMs > t);
          const oldest = waiting.reduce((age, w) => Math.max(age, (t - w.readyMs) / 1000), 0);
          points.push(
            makeQueueDepthPoint({ resource, timeMs: t, queue, state: 'waiting', depth: waiting.length }),
          );
          points.push(makeOldestReadyAgePoint({ resource, timeMs: t, queue, ageSeconds: oldest }));
        }
      }
      deliveries.push({ atMs: t, points });
    }
  }
  return deliveries.sort((a, b) => a.atMs - b.atMs);
}

describe('a healthy, bursty fleet', () => {
  it('produces no finding from any detector at any point of a quarter hour', () => {
    const clock = { now: T0 };
    const model = new TelemetryModel({ clock: () => clock.now });
    const findings: FindingDraft[] = [];
    let nextEvaluationMs = T0 + 30_000;
    const detectors = builtInDetectors.configure();
    const evaluate = () => {
      for (const detector of detectors) findings.push(...detector.evaluate(model, clock.now));
    };
    for (const delivery of healthyFleet(7)) {
      while (delivery.atMs >= nextEvaluationMs) {
        clock.now = nextEvaluationMs;
        evaluate();
        nextEvaluationMs += 30_000;
      }
      clock.now = delivery.atMs;
      if ('spans' in delivery) model.ingestSpans(delivery.spans);
      else if ('logs' in delivery) model.ingestLogs(delivery.logs);
      else model.ingestMetrics(delivery.points);
    }
    evaluate();
    expect(findings.map((finding) => `${finding.type}: ${finding.summary}`)).toEqual([]);

    // The quiet above is not for lack of data: the model holds the fleet, and a hair-trigger threshold finds gaps.
    expect(model.windowSizes().finishedAttempts).toBeGreaterThan(500);
    expect(model.workers(clock.now).filter((worker) => worker.completedInWindow > 0)).toHaveLength(4);
    expect([...model.jobs(0)].some((job) => job.maxAttempt === 2)).toBe(true);
    const touchy = { ...mysteryGapDetector.defaults, gapThresholdSeconds: 0.05 };
    expect(mysteryGapDetector.evaluate(model, clock.now, touchy).length).toBeGreaterThan(0);
  });
});
