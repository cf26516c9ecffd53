import type { ResourceRecord } from '@joblens/otlp-receiver';
import {
  makeAttemptSpan,
  makeEventLoopBlockedLog,
  makeHeartbeatPoint,
  makeJobLog,
  makeJobOutcomesPoint,
  makeLastSuccessPoint,
  makeOldestReadyAgePoint,
  makeQueueDepthPoint,
  makeResource,
} from '@joblens/test-utils';
import { describe, expect, it } from 'vitest';
import { eventLoopBlockedDetector } from '../../src/detectors/event-loop-blocked.js';
import { hostImbalanceDetector } from '../../src/detectors/host-imbalance.js';
import { queueStarvationDetector } from '../../src/detectors/queue-starvation.js';
import { silentWorkerDetector } from '../../src/detectors/silent-worker.js';
import { TelemetryModel } from '../../src/model/telemetry-model.js';

const T0 = 1_700_000_000_000;

function modelAt(nowMs: number): TelemetryModel {
  return new TelemetryModel({ clock: () => nowMs });
}

function heartbeats(
  model: TelemetryModel,
  resource: ResourceRecord,
  fromMs: number,
  toMs: number,
  everyMs = 10_000,
) {
  let count = 0;
  for (let t = fromMs; t <= toMs; t += everyMs)
    model.ingestMetrics([makeHeartbeatPoint({ resource, timeMs: t, count: ++count })]);
}

function backlog(
  model: TelemetryModel,
  resource: ResourceRecord,
  timeMs: number,
  waiting: number,
  ageSeconds: number,
) {
  model.ingestMetrics([
    makeQueueDepthPoint({ resource, timeMs, state: 'waiting', depth: waiting }),
    makeOldestReadyAgePoint({ resource, timeMs, ageSeconds }),
  ]);
}

describe('host_imbalance', () => {
  it('names the hot worker and the starved ones while work waits', () => {
    const now = T0 + 200_000;
    const model = modelAt(now);
    const fleet = ['w1', 'w2', 'w3', 'w4'].map((worker, n) => makeResource({ worker, host: `h${n + 1}` }));
    const counts = [40, 3, 4, 0];
    fleet.forEach((resource, n) => {
      heartbeats(model, resource, T0, now);
      for (let k = 0; k < counts[n]; k++)
        model.ingestSpans([makeAttemptSpan({ resource, startMs: T0 + 100_000 + k * 1_000 })]);
    });
    // w4 processed nothing in the window but reports the queue, so it is one of its workers.
    backlog(model, fleet[3], now - 5_000, 300, 40);
    const drafts = hostImbalanceDetector.evaluate(model, now, hostImbalanceDetector.defaults);
    expect(drafts).toHaveLength(1);
    const [draft] = drafts;
    expect(draft.key).toBe('share|worker|svc|emails');
    expect(draft.subject).toMatchObject({ worker: 'w1', host: 'h1', queue: 'emails' });
    expect(draft.evidence.detail).toMatchObject({ hot: ['w1'], starved: ['w2', 'w3', 'w4'] });
    expect(draft.summary).toContain('the oldest ready job waits 40s');
    const newestOnW1 = [...model.finishedAttempts(0)].filter((a) => a.facts.worker === 'w1').at(-1);
    expect(draft.evidence.traces).toEqual([
      { traceId: newestOnW1?.facts.traceId, spanId: newestOnW1?.facts.spanId, label: 'latest attempt on w1' },
    ]);
  });

  it('says nothing of an uneven split while nothing waits', () => {
    const now = T0 + 200_000;
    const model = modelAt(now);
    const fleet = ['w1', 'w2', 'w3'].map((worker) => makeResource({ worker }));
    const counts = [40, 3, 3];
    fleet.forEach((resource, n) => {
      heartbeats(model, resource, T0, now);
      for (let k = 0; k < counts[n]; k++)
        model.ingestSpans([makeAttemptSpan({ resource, startMs: T0 + 100_000 + k * 1_000 })]);
    });
    backlog(model, fleet[0], now - 5_000, 0, 0);
    expect(hostImbalanceDetector.evaluate(model, now, hostImbalanceDetector.defaults)).toEqual([]);
  });

  it('reports a host that runs a job name twice as slowly as its peers', () => {
    const now = T0 + 250_000;
    const model = modelAt(now);
    const hosts = ['fast-1', 'fast-2', 'slow-1'].map((host) => makeResource({ worker: `w-${host}`, host }));
    hosts.forEach((resource, n) => {
      const durationMs = n === 2 ? 5_000 : 2_000;
      for (let k = 0; k < 12; k++) {
        model.ingestSpans([
          makeAttemptSpan({
            resource,
            jobName: 'resize',
            startMs: T0 + k * 10_000,
            durationMs: durationMs + k * 10,
          }),
        ]);
      }
    });
    const drafts = hostImbalanceDetector.evaluate(model, now, hostImbalanceDetector.defaults);
    expect(drafts.map((draft) => draft.key)).toEqual(['slow|svc|emails|resize|slow-1']);
    expect(drafts[0].subject).toMatchObject({ host: 'slow-1', jobName: 'resize' });
    expect(Number(drafts[0].evidence.figures.ratio)).toBeGreaterThanOrEqual(2);
  });
});

describe('silent_worker', () => {
  it('reports a worker whose heartbeats stopped, with the job it held', () => {
    const now = T0 + 120_000;
    const model = modelAt(now);
    const gone = makeResource({ worker: 'w-gone', host: 'h-gone' });
    const alive = makeResource({ worker: 'w-alive', host: 'h-alive' });
    heartbeats(model, gone, T0, T0 + 50_000);
    heartbeats(model, alive, T0, now);
    const held = makeAttemptSpan({ resource: gone });
    model.ingestLogs([makeJobLog({ kind: 'started', attempt: held, timeMs: T0 + 45_000 })]);
    model.ingestMetrics([makeLastSuccessPoint({ resource: alive, timeMs: now, lastSuccessMs: now - 1_000 })]);
    const drafts = silentWorkerDetector.evaluate(model, now, silentWorkerDetector.defaults);
    expect(drafts.map((draft) => draft.key)).toEqual(['gone|w-gone']);
    expect(drafts[0]).toMatchObject({ severity: 'critical', subject: { worker: 'w-gone', host: 'h-gone' } });
    expect(drafts[0].evidence.figures).toMatchObject({
      heartbeatAgeSeconds: 70,
      goneAfterSeconds: 30,
      activeJobs: 1,
    });
    expect(drafts[0].evidence.traces).toEqual([
      expect.objectContaining({ traceId: held.traceId, spanId: held.spanId }),
    ]);
  });

  it('only notes a worker that left holding no job while its peers go on', () => {
    const now = T0 + 120_000;
    const model = modelAt(now);
    heartbeats(model, makeResource({ worker: 'scaled-down', host: 'pod-a' }), T0, T0 + 50_000);
    heartbeats(model, makeResource({ worker: 'peer', host: 'pod-b' }), T0, now);
    const drafts = silentWorkerDetector.evaluate(model, now, silentWorkerDetector.defaults);
    expect(drafts.map((draft) => [draft.key, draft.severity])).toEqual([['gone|scaled-down', 'info']]);
    const alone = modelAt(now);
    heartbeats(alone, makeResource({ worker: 'last-one', host: 'pod-c' }), T0, T0 + 50_000);
    expect(silentWorkerDetector.evaluate(alone, now, silentWorkerDetector.defaults)[0].severity).toBe(
      'warning',
    );
  });

  it('does not report a worker replaced by a new instance on the same host', () => {
    const now = T0 + 120_000;
    const model = modelAt(now);
    heartbeats(model, makeResource({ worker: 'old', host: 'box' }), T0, T0 + 50_000);
    heartbeats(model, makeResource({ worker: 'new', host: 'box' }), T0 + 55_000, now);
    expect(silentWorkerDetector.evaluate(model, now, silentWorkerDetector.defaults)).toEqual([]);
  });

  it('reports a worker that beats but completes nothing while its queue has ready jobs', () => {
    const now = T0 + 300_000;
    const model = modelAt(now);
    const stuck = makeResource({ worker: 'w-stuck' });
    heartbeats(model, stuck, T0, now);
    model.ingestSpans([makeAttemptSpan({ resource: stuck, startMs: T0, durationMs: 1_000 })]);
    backlog(model, stuck, now - 2_000, 25, 90);
    const drafts = silentWorkerDetector.evaluate(model, now, silentWorkerDetector.defaults);
    expect(drafts.map((draft) => draft.key)).toEqual(['stuck|w-stuck']);
    expect(drafts[0].evidence.figures).toMatchObject({ secondsSinceLastCompletion: 299, readyJobs: 25 });
    backlog(model, stuck, now - 1_000, 0, 0);
    expect(silentWorkerDetector.evaluate(model, now, silentWorkerDetector.defaults)).toEqual([]);
  });

  it('does not call a worker stuck that idled on an empty queue until jobs arrived moments ago', () => {
    const now = T0 + 300_000;
    const model = modelAt(now);
    const early = makeResource({ worker: 'w-early' });
    heartbeats(model, early, T0, now);
    backlog(model, early, now - 1_000, 12, 5);
    expect(silentWorkerDetector.evaluate(model, now, silentWorkerDetector.defaults)).toEqual([]);
    backlog(model, early, now - 500, 12, 70);
    const drafts = silentWorkerDetector.evaluate(model, now, silentWorkerDetector.defaults);
    expect(drafts.map((draft) => draft.key)).toEqual(['stuck|w-early']);
    expect(drafts[0].evidence.figures).toMatchObject({ oldestReadyAgeSeconds: 70, readyJobs: 12 });
    expect(drafts[0].since).toBe(now - 70_000);
  });
});

describe('queue_starvation', () => {
  it('reports ready jobs waiting while the queue workers sit idle', () => {
    const now = T0 + 300_000;
    const model = modelAt(now);
    const idle = ['w1', 'w2'].map((worker) => makeResource({ worker }));
    for (const resource of idle) {
      heartbeats(model, resource, T0, now);
      model.ingestSpans([makeAttemptSpan({ resource, startMs: T0, durationMs: 500 })]);
    }
    backlog(model, idle[0], now - 3_000, 40, 75);
    const drafts = queueStarvationDetector.evaluate(model, now, queueStarvationDetector.defaults);
    expect(drafts.map((draft) => draft.key)).toEqual(['svc|emails']);
    expect(drafts[0].evidence.figures).toMatchObject({
      oldestReadyAgeSeconds: 75,
      readyJobs: 40,
      idleWorkers: 2,
    });
    expect(drafts[0].evidence.traces).toHaveLength(1);
    expect(drafts[0].evidence.traces[0].label).toBe('the last attempt processed');
  });

  it('stays quiet while a worker of the queue holds a job or the wait is short', () => {
    const now = T0 + 300_000;
    const model = modelAt(now);
    const busy = makeResource({ worker: 'busy' });
    heartbeats(model, busy, T0, now);
    backlog(model, busy, now - 3_000, 40, 75);
    model.ingestLogs([
      makeJobLog({ kind: 'started', attempt: makeAttemptSpan({ resource: busy }), timeMs: now - 100_000 }),
    ]);
    expect(queueStarvationDetector.evaluate(model, now, queueStarvationDetector.defaults)).toEqual([]);
    const other = modelAt(now);
    heartbeats(other, busy, T0, now);
    backlog(other, busy, now - 3_000, 40, 20);
    expect(queueStarvationDetector.evaluate(other, now, queueStarvationDetector.defaults)).toEqual([]);
  });
});

describe('queue_starvation with sampled-out spans', () => {
  it('counts a worker whose outcome counter keeps rising as busy', () => {
    const now = T0 + 300_000;
    const model = modelAt(now);
    const worker = makeResource({ worker: 'short-jobs' });
    heartbeats(model, worker, T0, now);
    model.ingestSpans([makeAttemptSpan({ resource: worker, startMs: T0, durationMs: 50 })]);
    backlog(model, worker, now - 3_000, 500, 75);
    expect(queueStarvationDetector.evaluate(model, now, queueStarvationDetector.defaults)).toHaveLength(1);
    model.ingestMetrics([
      makeJobOutcomesPoint({
        resource: worker,
        timeMs: now - 20_000,
        startTimeMs: T0,
        outcome: 'completed',
        count: 900,
      }),
      makeJobOutcomesPoint({
        resource: worker,
        timeMs: now - 5_000,
        startTimeMs: T0,
        outcome: 'completed',
        count: 950,
      }),
    ]);
    expect(queueStarvationDetector.evaluate(model, now, queueStarvationDetector.defaults)).toEqual([]);
    expect([...model.workerStates()][0].lastCompletionMs).toBe(now - 5_000);
  });
});

describe('event_loop_blocked', () => {
  it('reports blocks per worker with the job and step they hit, and holds for a while after the last', () => {
    const now = T0 + 60_000;
    const model = modelAt(now);
    const resource = makeResource({ worker: 'w-cpu', host: 'h-cpu' });
    const attempt = makeAttemptSpan({ resource, jobName: 'parse', jobId: 'big' });
    model.ingestLogs([
      makeEventLoopBlockedLog({ resource, timeMs: T0 + 10_000, blockedSeconds: 1.5 }),
      makeEventLoopBlockedLog({
        resource,
        timeMs: T0 + 20_000,
        blockedSeconds: 4,
        attempt,
        currentStep: 'json',
      }),
    ]);
    const [draft, ...rest] = eventLoopBlockedDetector.evaluate(model, now, eventLoopBlockedDetector.defaults);
    expect(rest).toEqual([]);
    expect(draft.key).toBe('w-cpu');
    expect(draft.subject).toMatchObject({ worker: 'w-cpu', host: 'h-cpu', jobId: 'big' });
    expect(draft.evidence.figures).toMatchObject({ blocks: 2, longestBlockedSeconds: 4, step: 'json' });
    expect(draft.evidence.traces[0].traceId).toBe(attempt.traceId);
    expect(
      eventLoopBlockedDetector.evaluate(model, T0 + 20_000 + 301_000, eventLoopBlockedDetector.defaults),
    ).toEqual([]);
  });

  it('says whether synchronous work or a synchronous call held the loop, from the CPU the thread used', () => {
    const now = T0 + 60_000;
    const model = modelAt(now);
    const busy = makeResource({ worker: 'w-busy' });
    const waiting = makeResource({ worker: 'w-wait' });
    model.ingestLogs([
      // 3 s blocked, 1 s of it waiting for a CPU, the other 2 s running: synchronous work.
      makeEventLoopBlockedLog({
        resource: busy,
        timeMs: T0 + 10_000,
        blockedSeconds: 3,
        cpuSeconds: 1.9,
        cpuWaitSeconds: 1,
      }),
      makeEventLoopBlockedLog({
        resource: waiting,
        timeMs: T0 + 10_000,
        blockedSeconds: 3,
        cpuSeconds: 0.02,
      }),
    ]);
    const drafts = eventLoopBlockedDetector.evaluate(model, now, eventLoopBlockedDetector.defaults);
    const byWorker = new Map(drafts.map((draft) => [draft.subject.worker, draft]));
    expect(byWorker.get('w-busy')?.summary).toContain('on the CPU 95% of it (synchronous work)');
    expect(byWorker.get('w-busy')?.nextStep).toContain('--cpu-prof');
    expect(byWorker.get('w-busy')?.evidence.figures).toMatchObject({
      longestBlockCpuSeconds: 1.9,
      longestBlockCpuWaitSeconds: 1,
    });
    expect(byWorker.get('w-wait')?.summary).toContain(
      'on the CPU only 1% of it (waiting in a synchronous call)',
    );
    expect(byWorker.get('w-wait')?.nextStep).toContain('spawnSync');
  });

  it('names the function that held the loop, from the stack the watchdog sent, and keeps the stack', () => {
    const now = T0 + 60_000;
    const model = modelAt(now);
    const resource = makeResource({ worker: 'w-render' });
    const stack = [
      'measureText (node_modules/pdf-layout/lib/measure.js:210:13)',
      'layoutPage (src/render.js:42:7)',
      'processTicksAndRejections (node:internal/process/task_queues:95:5)',
    ];
    model.ingestLogs([
      makeEventLoopBlockedLog({
        resource,
        timeMs: T0 + 10_000,
        blockedSeconds: 3,
        currentStep: 'layout',
        stack,
      }),
    ]);
    const [draft] = eventLoopBlockedDetector.evaluate(model, now, eventLoopBlockedDetector.defaults);
    const where =
      'measureText (node_modules/pdf-layout/lib/measure.js:210) called from layoutPage (src/render.js:42)';
    expect(draft.summary.endsWith(`up to 3s in ${where}`)).toBe(true);
    expect(draft.nextStep.startsWith(`Look for synchronous work in ${where} (`)).toBe(true);
    expect(draft.nextStep).not.toContain('step "layout"');
    expect(draft.evidence.figures.blockingFunction).toBe(where);
    expect(draft.evidence.detail).toEqual({ stack });
  });

  it("borrows the latest block's stack when the longest block came without one", () => {
    const now = T0 + 60_000;
    const model = modelAt(now);
    const resource = makeResource({ worker: 'w-exec' });
    model.ingestLogs([
      makeEventLoopBlockedLog({ resource, timeMs: T0 + 10_000, blockedSeconds: 8, currentStep: 'convert' }),
      makeEventLoopBlockedLog({
        resource,
        timeMs: T0 + 20_000,
        blockedSeconds: 2,
        stack: ['convertPdf (src/convert.js:9:3)'],
      }),
    ]);
    const [draft] = eventLoopBlockedDetector.evaluate(model, now, eventLoopBlockedDetector.defaults);
    expect(draft.summary).toContain('up to 8s in convertPdf (src/convert.js:9)');
    expect(draft.evidence.detail).toEqual({ stack: ['convertPdf (src/convert.js:9:3)'] });
  });

  it('falls back to the step when no block came with a stack', () => {
    const now = T0 + 60_000;
    const model = modelAt(now);
    model.ingestLogs([
      makeEventLoopBlockedLog({ resource: makeResource(), timeMs: T0 + 10_000, currentStep: 'layout' }),
    ]);
    const [draft] = eventLoopBlockedDetector.evaluate(model, now, eventLoopBlockedDetector.defaults);
    expect(draft.nextStep).toContain('Look for synchronous work in step "layout"');
    expect(draft.evidence.figures).not.toHaveProperty('blockingFunction');
    expect(draft.evidence.detail).toBeUndefined();
  });
});
