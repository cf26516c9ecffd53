import type { LogRecordData, MetricPointRecord, SpanRecord } from '@joblens/analyzer';
import {
  makeAttemptSpan,
  makeEventLoopBlockedLog,
  makeHeartbeatPoint,
  makeJobLog,
  makeLastSuccessPoint,
  makeOldestReadyAgePoint,
  makeQueueDepthPoint,
  makeResource,
  makeStepSpan,
  makeTraceId,
} from '@joblens/test-utils';

// Ten minutes of a three-worker fleet with one of each per-job fault, and the gateway's split of it:
// shared by the scale-out test (findings of a split fleet) and the shared-PostgreSQL test.

const T0 = 1_800_000_000_000;
export const NOW = T0 + 10 * 60_000;
const WORKERS = [1, 2, 3].map((n) => makeResource({ service: 'billing', worker: `w-${n}`, host: `h-${n}` }));

export type Telemetry = { spans: SpanRecord[]; logs: LogRecordData[]; metrics: MetricPointRecord[] };

/** Ten minutes of a small fleet with one of each fault the per-job detectors look for. */
export function fleetTelemetry(): Telemetry {
  const spans: SpanRecord[] = [];
  const logs: LogRecordData[] = [];
  const metrics: MetricPointRecord[] = [];
  const worker = (i: number) => WORKERS[i % WORKERS.length];

  // Healthy e-mails, evenly spread, each with two steps.
  const lastSuccessMs = new Map<string, number[]>();
  for (let i = 0; i < 150; i++) {
    const startMs = T0 + 60_000 + i * 3_500;
    const times = lastSuccessMs.get(worker(i).serviceInstanceId) ?? [];
    lastSuccessMs.set(worker(i).serviceInstanceId, [...times, startMs + 300]);
    const attempt = makeAttemptSpan({
      resource: worker(i),
      jobName: 'send-email',
      startMs,
      durationMs: 300,
      outcome: 'completed',
    });
    spans.push(
      attempt,
      makeStepSpan({ parent: attempt, name: 'render', startMs, endMs: startMs + 100 }),
      makeStepSpan({ parent: attempt, name: 'deliver', startMs: startMs + 100, endMs: startMs + 300 }),
    );
  }
  // A poison job: eight attempts of one job, all in one trace, on whichever worker took each.
  const poisonTrace = makeTraceId();
  for (let attempt = 1; attempt <= 8; attempt++) {
    spans.push(
      makeAttemptSpan({
        resource: worker(attempt),
        traceId: poisonTrace,
        queue: 'imports',
        jobName: 'import-csv',
        jobId: 'import-42',
        attempt,
        maxAttempts: 8,
        startMs: T0 + attempt * 40_000,
        durationMs: 200,
        outcome: attempt < 8 ? 'retry_scheduled' : 'exhausted',
        errorType: 'MalformedRowError',
      }),
    );
  }
  // Reports with eight silent seconds between fetching and uploading.
  for (let i = 0; i < 4; i++) {
    const startMs = T0 + 120_000 + i * 60_000;
    const attempt = makeAttemptSpan({
      resource: worker(i),
      queue: 'reports',
      jobName: 'export',
      startMs,
      durationMs: 10_000,
      outcome: 'completed',
    });
    spans.push(
      attempt,
      makeStepSpan({ parent: attempt, name: 'fetch', startMs, endMs: startMs + 1_000 }),
      makeStepSpan({ parent: attempt, name: 'upload', startMs: startMs + 9_000, endMs: startMs + 10_000 }),
    );
  }
  // A charge that went silent in its payment call and has not ended.
  const hung = makeAttemptSpan({
    resource: WORKERS[1],
    queue: 'payments',
    jobName: 'charge',
    jobId: 'c-7',
    startMs: NOW - 120_000,
  });
  logs.push(
    makeJobLog({ kind: 'started', attempt: hung, timeMs: NOW - 120_000 }),
    makeJobLog({
      kind: 'still_running',
      attempt: hung,
      timeMs: NOW - 5_000,
      silenceSeconds: 110,
      elapsedSeconds: 115,
      currentStep: 'call-payment-api',
    }),
  );
  // A blocked event loop inside a running resize.
  const resize = makeAttemptSpan({
    resource: WORKERS[2],
    queue: 'images',
    jobName: 'resize',
    startMs: NOW - 30_000,
    durationMs: 4_000,
    outcome: 'completed',
  });
  spans.push(resize);
  logs.push(
    makeEventLoopBlockedLog({
      resource: WORKERS[2],
      timeMs: NOW - 28_000,
      blockedSeconds: 3,
      attempt: resize,
      currentStep: 'resize',
    }),
  );
  // Each export (every 10 s): heartbeats, the time of the worker's last completed e-mail, queue figures.
  for (let t = T0; t <= NOW; t += 10_000) {
    for (const resource of WORKERS) {
      metrics.push(makeHeartbeatPoint({ resource, timeMs: t, count: (t - T0) / 10_000 + 1 }));
      const done = (lastSuccessMs.get(resource.serviceInstanceId) ?? []).filter((ms) => ms <= t);
      if (done.length > 0) {
        metrics.push(
          makeLastSuccessPoint({
            resource,
            timeMs: t,
            queue: 'emails',
            lastSuccessMs: done[done.length - 1],
          }),
        );
      }
    }
    metrics.push(
      makeQueueDepthPoint({ resource: WORKERS[0], timeMs: t, queue: 'emails', depth: 3 }),
      makeOldestReadyAgePoint({ resource: WORKERS[0], timeMs: t, queue: 'emails', ageSeconds: 1 }),
    );
  }
  return { spans, logs, metrics };
}

/** Splits telemetry over backends: spans and logs by `route`, every metric to every backend. */
export function split(
  telemetry: Telemetry,
  backends: string[],
  route: (traceId: string, index: number) => string,
): Map<string, Telemetry> {
  const shards = new Map(
    backends.map((backend) => [backend, { spans: [], logs: [], metrics: telemetry.metrics } as Telemetry]),
  );
  for (const [index, span] of telemetry.spans.entries())
    shards.get(route(span.traceId, index))?.spans.push(span);
  for (const [index, log] of telemetry.logs.entries())
    shards.get(route(log.traceId ?? '', index))?.logs.push(log);
  return shards;
}
