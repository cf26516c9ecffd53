import type { ResourceRecord } from '@joblens/otlp-receiver';
import {
  doubleRunScenario,
  makeAttemptSpan,
  makeHeartbeatPoint,
  makeJobLog,
  makeResource,
  makeTraceId,
  makeWorkerStoppedLog,
} from '@joblens/test-utils';
import { describe, expect, it } from 'vitest';
import { stalledJobDetector } from '../../src/detectors/stalled-job.js';
import type { LiveJobView } from '../../src/model/analyzer-view.js';
import { TelemetryModel } from '../../src/model/telemetry-model.js';

const T = 1_700_000_000_000;
const JOB = { queue: 'reports', jobName: 'export-report', jobId: 'rep-1', maxAttempts: 3 };
const [w1, w2] = [1, 2].map((n) => makeResource({ worker: `w${n}`, host: `h${n}`, pid: 100 + n }));

function modelAt(nowMs: number): TelemetryModel {
  return new TelemetryModel({ clock: () => nowMs });
}

function heartbeats(model: TelemetryModel, resource: ResourceRecord, fromMs: number, toMs: number): void {
  let count = 0;
  for (let t = fromMs; t <= toMs; t += 5_000)
    model.ingestMetrics([makeHeartbeatPoint({ resource, timeMs: t, count: ++count })]);
}

function evaluate(model: TelemetryModel, now: number) {
  return stalledJobDetector.evaluate(model, now, stalledJobDetector.defaults);
}

describe('stalled_job', () => {
  it('reports a job that ran on two workers at once, naming both workers and when each ran', () => {
    const now = T;
    const model = modelAt(now);
    const scenario = doubleRunScenario({ nowMs: now, service: 'svc' });
    model.ingestSpans(scenario.spans);
    model.ingestMetrics(scenario.metrics);

    const [draft, ...rest] = evaluate(model, now);
    expect(rest).toEqual([]);
    expect(draft.key).toBe('double|svc|reports|rep-7');
    expect(draft.severity).toBe('critical');
    expect(draft.summary).toContain('ran twice at once for 25s');
    expect(draft.summary).toContain('svc-w1 on svc-h1');
    expect(draft.summary).toContain('svc-w2 on svc-h2');
    expect(draft.summary).toContain('stalled at');
    expect(draft.evidence.figures).toMatchObject({
      firstWorker: 'svc-w1',
      secondWorker: 'svc-w2',
      firstOutcome: 'completed',
      secondOutcome: 'completed',
      stalledAt: new Date(now - 41_000).toISOString(),
    });
    expect(draft.evidence.traces).toHaveLength(2);
  });

  it('reports the second run while the first is still running, before either ends', () => {
    const now = T;
    const model = modelAt(now);
    const traceId = makeTraceId();
    const first = makeAttemptSpan({
      ...JOB,
      traceId,
      resource: w1,
      startMs: now - 30_000,
      durationMs: 60_000,
    });
    model.ingestLogs([makeJobLog({ kind: 'started', attempt: first, timeMs: now - 29_000 })]);
    const second = makeAttemptSpan({
      ...JOB,
      traceId,
      resource: w2,
      startMs: now - 20_000,
      durationMs: 3_000,
      outcome: 'completed',
    });
    model.ingestSpans([second]);
    heartbeats(model, w1, now - 30_000, now);
    heartbeats(model, w2, now - 30_000, now);

    const [draft] = evaluate(model, now);
    expect(draft.key).toBe('double|svc|reports|rep-1');
    expect(draft.severity).toBe('warning');
    expect(draft.evidence.figures).toMatchObject({
      firstWorker: 'w1',
      firstOutcome: 'running',
      secondWorker: 'w2',
    });
  });

  it('reports two runs of one job still running at once on two workers, though neither has ended', () => {
    const now = T;
    const model = modelAt(now);
    const traceId = makeTraceId();
    const first = makeAttemptSpan({
      ...JOB,
      traceId,
      resource: w1,
      startMs: now - 30_000,
      durationMs: 60_000,
    });
    const second = makeAttemptSpan({
      ...JOB,
      traceId,
      resource: w2,
      startMs: now - 20_000,
      durationMs: 60_000,
    });
    // The same id on another queue is another job.
    const elsewhere = makeAttemptSpan({
      ...JOB,
      queue: 'emails',
      resource: w2,
      startMs: now - 25_000,
      durationMs: 60_000,
    });
    model.ingestLogs([
      makeJobLog({ kind: 'started', attempt: first, timeMs: now - 29_000 }),
      makeJobLog({ kind: 'started', attempt: second, timeMs: now - 19_000 }),
      makeJobLog({ kind: 'started', attempt: elsewhere, timeMs: now - 24_000 }),
    ]);
    heartbeats(model, w1, now - 30_000, now);
    heartbeats(model, w2, now - 30_000, now);

    const drafts = evaluate(model, now);
    expect(drafts.map((draft) => draft.key)).toEqual(['double|svc|reports|rep-1']);
    expect(drafts[0].evidence.figures).toMatchObject({
      firstWorker: 'w1',
      secondWorker: 'w2',
      secondOutcome: 'running',
    });
  });

  it('leaves alone a retry that another worker started after the failed attempt ended', () => {
    const now = T;
    const model = modelAt(now);
    const traceId = makeTraceId();
    model.ingestSpans([
      makeAttemptSpan({
        ...JOB,
        traceId,
        resource: w1,
        startMs: now - 30_000,
        durationMs: 5_000,
        outcome: 'retry_scheduled',
      }),
      makeAttemptSpan({
        ...JOB,
        attempt: 2,
        traceId,
        resource: w2,
        startMs: now - 24_000,
        durationMs: 5_000,
        outcome: 'completed',
      }),
    ]);
    heartbeats(model, w1, now - 30_000, now);
    heartbeats(model, w2, now - 30_000, now);
    expect(evaluate(model, now)).toEqual([]);
  });

  it('reports a job orphaned by a worker that went silent mid-attempt, and lowers it once another worker ran it', () => {
    const now = T;
    const model = modelAt(now);
    const first = makeAttemptSpan({ ...JOB, resource: w1, startMs: now - 90_000, durationMs: 1 });
    model.ingestLogs([
      makeJobLog({ kind: 'started', attempt: first, timeMs: now - 89_000 }),
      makeJobLog({
        kind: 'still_running',
        attempt: first,
        timeMs: now - 80_000,
        currentStep: 'render',
        silenceSeconds: 1,
      }),
    ]);
    heartbeats(model, w1, now - 90_000, now - 75_000);
    heartbeats(model, w2, now - 90_000, now);

    const [orphan] = evaluate(model, now);
    expect(orphan.key).toBe('orphan|svc|reports|rep-1');
    expect(orphan.severity).toBe('critical');
    expect(orphan.subject).toMatchObject({ worker: 'w1', host: 'h1', pid: 101, jobId: 'rep-1' });
    expect(orphan.summary).toContain('was orphaned: its worker w1 on h1 went silent');
    expect(orphan.summary).toContain('in step render');
    expect(orphan.summary).toContain('no other worker has picked it up yet');

    model.ingestSpans([
      makeAttemptSpan({
        ...JOB,
        traceId: first.traceId,
        resource: w2,
        startMs: now - 40_000,
        durationMs: 2_000,
        outcome: 'completed',
      }),
    ]);
    const [rerun] = evaluate(model, now);
    expect(rerun.key).toBe('orphan|svc|reports|rep-1');
    expect(rerun.severity).toBe('warning');
    expect(rerun.summary).toContain('it ran again on w2 on h2');
  });

  it('builds no more orphan findings than it reports when a dead worker held thousands of jobs', () => {
    const now = T;
    const model = modelAt(now);
    for (let n = 0; n < 2_000; n++) {
      const attempt = makeAttemptSpan({
        ...JOB,
        jobId: `rep-${n}`,
        resource: w1,
        startMs: now - 90_000,
        durationMs: 1,
      });
      model.ingestLogs([
        makeJobLog({ kind: 'started', attempt, timeMs: now - 89_000, currentStep: 'render' }),
      ]);
    }
    heartbeats(model, w1, now - 90_000, now - 75_000);
    // Each finding reads its attempt's current step: count the reads to count the findings built.
    let stepReads = 0;
    const counted = (job: LiveJobView): LiveJobView =>
      Object.defineProperty({ ...job }, 'currentStep', {
        get: () => {
          stepReads += 1;
          return job.currentStep;
        },
      });
    const view = new Proxy(model, {
      get(target, property) {
        if (property === 'liveJobs') return () => [...target.liveJobs()].map(counted);
        const value = Reflect.get(target, property, target);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    const readsFor = (maxFindings: number) => {
      stepReads = 0;
      const drafts = stalledJobDetector.evaluate(view, now, { ...stalledJobDetector.defaults, maxFindings });
      expect(drafts.map((draft) => draft.key)).toEqual(
        Array.from({ length: maxFindings }, (_, n) => `orphan|svc|reports|rep-${n}`),
      );
      return stepReads;
    };

    // The work grows with the findings kept, not with the 2,000 orphaned jobs.
    expect(readsFor(5)).toBe(5 * readsFor(1));
  });

  it('does not call a job orphaned while its worker still sends heartbeats', () => {
    const now = T;
    const model = modelAt(now);
    const first = makeAttemptSpan({ ...JOB, resource: w1, startMs: now - 300_000, durationMs: 1 });
    model.ingestLogs([makeJobLog({ kind: 'started', attempt: first, timeMs: now - 299_000 })]);
    heartbeats(model, w1, now - 300_000, now);
    expect(evaluate(model, now)).toEqual([]);
  });

  it('does not call a job orphaned when its worker announced that it stopped', () => {
    const now = T;
    const model = modelAt(now);
    const first = makeAttemptSpan({ ...JOB, resource: w1, startMs: now - 90_000, durationMs: 1 });
    model.ingestLogs([
      makeJobLog({ kind: 'started', attempt: first, timeMs: now - 89_000 }),
      makeWorkerStoppedLog({ resource: w1, timeMs: now - 75_000, reason: 'signal' }),
    ]);
    heartbeats(model, w1, now - 90_000, now - 75_000);
    expect(evaluate(model, now)).toEqual([]);
  });

  it('reports a stall BullMQ saw when neither run is in view', () => {
    const now = T;
    const model = modelAt(now);
    model.ingestSpans([
      makeAttemptSpan({ ...JOB, resource: w2, startMs: now - 10_000, durationMs: 0, outcome: 'stalled' }),
    ]);
    heartbeats(model, w2, now - 30_000, now);
    const [draft] = evaluate(model, now);
    expect(draft.key).toBe('stall|svc|reports|rep-1');
    expect(draft.summary).toContain('stalled at');
    expect(draft.evidence.figures).toMatchObject({ seenBy: 'w2' });
  });
});
