import {
  EVENT_FAILURE_SNAPSHOT,
  EVENT_STEP_ENDED,
  EVENT_STEP_STARTED,
  LOG_EVENT_LOOP_RECOVERED,
} from '@joblens/semconv';
import {
  makeActiveJobsPoint,
  makeAttemptSpan,
  makeCheckpointEvent,
  makeEventLoopBlockedLog,
  makeHeartbeatPoint,
  makeJobLog,
  makeOldestReadyAgePoint,
  makeQueueDepthPoint,
  makeResource,
  makeStepSpan,
} from '@joblens/test-utils';
import { describe, expect, it } from 'vitest';
import { TelemetryModel } from '../../src/model/telemetry-model.js';

const T0 = 1_700_000_000_000;

function modelAt(nowMs: number, options: ConstructorParameters<typeof TelemetryModel>[0] = {}) {
  const clock = { now: nowMs };
  const model = new TelemetryModel({ ...options, clock: () => clock.now });
  return { model, clock };
}

describe('TelemetryModel', () => {
  it('keeps one attempt when OTLP delivers the same spans twice', () => {
    const { model } = modelAt(T0 + 10_000);
    const attempt = makeAttemptSpan({ jobId: 'dup', startMs: T0, durationMs: 3_000 });
    const step = makeStepSpan({ parent: attempt, name: 'fetch', startMs: T0 + 100, endMs: T0 + 900 });
    model.ingestSpans([attempt, step]);
    model.ingestSpans([attempt, step]);
    const attempts = [...model.finishedAttempts(0)];
    expect(attempts).toHaveLength(1);
    expect(attempts[0].steps).toHaveLength(1);
    const [job] = [...model.jobs(0)];
    expect(job.attemptsSeen).toBe(1);
    expect(model.workerQueueStats('worker-1', 'emails', 0).attemptsStarted).toBe(1);
  });

  it('attaches steps that arrive before their attempt, and computes gaps once both are in', () => {
    const { model } = modelAt(T0 + 60_000);
    const attempt = makeAttemptSpan({ startMs: T0, durationMs: 10_000 });
    const fetch = makeStepSpan({ parent: attempt, name: 'fetch', startMs: T0, endMs: T0 + 1_000 });
    const upload = makeStepSpan({ parent: attempt, name: 'upload', startMs: T0 + 8_000, endMs: T0 + 10_000 });
    model.ingestSpans([upload, fetch]);
    expect([...model.finishedAttempts(0)]).toHaveLength(0);
    model.ingestSpans([attempt]);
    const [view] = [...model.finishedAttempts(0)];
    expect(view.steps.map((step) => step.name)).toEqual(['fetch', 'upload']);
    const [gap] = model.attemptGaps(view);
    expect(gap).toMatchObject({ after: 'fetch', before: 'upload', seconds: 7, location: 'fetch->upload' });
  });

  it('recomputes the gaps when a step arrives after its attempt', () => {
    const { model } = modelAt(T0 + 60_000);
    const attempt = makeAttemptSpan({ startMs: T0, durationMs: 10_000 });
    model.ingestSpans([attempt]);
    const [view] = [...model.finishedAttempts(0)];
    expect(model.attemptGaps(view)[0].seconds).toBe(10);
    model.ingestSpans([
      makeStepSpan({ parent: attempt, name: 'work', startMs: T0 + 1_000, endMs: T0 + 9_000 }),
    ]);
    expect(model.attemptGaps(view).map((gap) => gap.seconds)).toEqual([1, 1]);
  });

  it('counts a checkpoint as activity that splits a gap', () => {
    const { model } = modelAt(T0 + 60_000);
    const attempt = makeAttemptSpan({
      startMs: T0,
      durationMs: 10_000,
      events: [makeCheckpointEvent('page-5', T0 + 5_000)],
    });
    model.ingestSpans([attempt]);
    const [view] = [...model.finishedAttempts(0)];
    expect(model.attemptGaps(view).map((gap) => gap.location)).toEqual(['start->page-5', 'page-5->end']);
  });

  it("names gaps after steps, not after diagnostic mode's step-edge events", () => {
    const { model } = modelAt(T0 + 60_000);
    const attempt = makeAttemptSpan({
      startMs: T0,
      durationMs: 10_000,
      events: [
        { name: EVENT_STEP_STARTED, timeMs: T0, attributes: { 'joblens.step.name': 'fetch' } },
        { name: EVENT_STEP_ENDED, timeMs: T0 + 1_000, attributes: { 'joblens.step.name': 'fetch' } },
        { name: EVENT_STEP_STARTED, timeMs: T0 + 9_000, attributes: { 'joblens.step.name': 'upload' } },
      ],
    });
    model.ingestSpans([
      attempt,
      makeStepSpan({ parent: attempt, name: 'fetch', startMs: T0, endMs: T0 + 1_000 }),
      makeStepSpan({ parent: attempt, name: 'upload', startMs: T0 + 9_000, endMs: T0 + 10_000 }),
    ]);
    const [view] = [...model.finishedAttempts(0)];
    expect(model.attemptGaps(view)[0].location).toBe('fetch->upload');
  });

  it('tracks a live job from its records and ends it when the attempt span arrives', () => {
    const { model } = modelAt(T0 + 30_000);
    const attempt = makeAttemptSpan({ jobId: 'live-1', startMs: T0, durationMs: 40_000 });
    model.ingestLogs([makeJobLog({ kind: 'started', attempt, timeMs: T0 })]);
    model.ingestLogs([
      makeJobLog({
        kind: 'still_running',
        attempt,
        timeMs: T0 + 20_000,
        silenceSeconds: 15,
        elapsedSeconds: 20,
        currentStep: 'render',
      }),
    ]);
    const [live] = [...model.liveJobs()];
    expect(live).toMatchObject({
      jobId: 'live-1',
      currentStep: 'render',
      startedMs: T0,
      quietSinceMs: T0 + 5_000,
    });
    expect(model.workers(T0 + 30_000)[0]).toMatchObject({ activeJobs: 1 });
    model.ingestSpans([attempt]);
    expect([...model.liveJobs()]).toHaveLength(0);
    expect(model.workers(T0 + 30_000)[0].activeJobs).toBe(0);
    expect(model.workerQueueStats('worker-1', 'emails', 0)).toMatchObject({
      attemptsStarted: 1,
      completed: 1,
    });
  });

  it('does not revive a job whose records arrive after its span', () => {
    const { model } = modelAt(T0 + 30_000);
    const attempt = makeAttemptSpan({ startMs: T0, durationMs: 5_000 });
    model.ingestSpans([attempt]);
    model.ingestLogs([
      makeJobLog({ kind: 'started', attempt, timeMs: T0 }),
      makeJobLog({ kind: 'still_running', attempt, timeMs: T0 + 4_000, silenceSeconds: 1 }),
      makeJobLog({ kind: 'ended', attempt, timeMs: T0 + 5_000, elapsedSeconds: 5, outcome: 'completed' }),
    ]);
    expect([...model.liveJobs()]).toHaveLength(0);
    expect(model.workerQueueStats('worker-1', 'emails', 0).attemptsStarted).toBe(1);
    expect([...model.jobs(0)][0].attemptsSeen).toBe(1);
  });

  it('ends a live job on its ended record and counts it once when the span follows', () => {
    const { model } = modelAt(T0 + 30_000);
    const attempt = makeAttemptSpan({ startMs: T0, durationMs: 5_000 });
    model.ingestLogs([
      makeJobLog({ kind: 'started', attempt, timeMs: T0 }),
      makeJobLog({ kind: 'ended', attempt, timeMs: T0 + 5_000, elapsedSeconds: 5, outcome: 'completed' }),
    ]);
    expect([...model.liveJobs()]).toHaveLength(0);
    model.ingestSpans([attempt]);
    expect(model.workerQueueStats('worker-1', 'emails', 0)).toMatchObject({
      attemptsStarted: 1,
      completed: 1,
      busySeconds: 5,
    });
  });

  it('resets a live job silence when one of its steps ends', () => {
    const { model } = modelAt(T0 + 30_000);
    const attempt = makeAttemptSpan({ startMs: T0, durationMs: 60_000 });
    model.ingestLogs([makeJobLog({ kind: 'started', attempt, timeMs: T0 })]);
    model.ingestSpans([makeStepSpan({ parent: attempt, name: 'download', startMs: T0, endMs: T0 + 12_000 })]);
    expect([...model.liveJobs()][0].quietSinceMs).toBe(T0 + 12_000);
    expect(model.jobTimeline(attempt.traceId)?.live).toMatchObject({
      silenceSeconds: 18,
      steps: [{ name: 'download' }],
    });
  });

  it('keeps the attributes of a running attempt once a still-running record reports it silent', () => {
    const { model } = modelAt(T0 + 120_000, { silentAttemptSeconds: 30 });
    const quiet = makeAttemptSpan({ jobId: 'quiet', startMs: T0, durationMs: 600_000 });
    const busy = makeAttemptSpan({ jobId: 'busy', startMs: T0, durationMs: 600_000 });
    const attributesOf = (span: typeof quiet) =>
      model.attemptContext(span.traceId, span.spanId)?.attributes ?? {};
    model.ingestLogs([
      makeJobLog({ kind: 'started', attempt: quiet, timeMs: T0 }),
      makeJobLog({ kind: 'started', attempt: busy, timeMs: T0 }),
    ]);
    expect(attributesOf(quiet)).toEqual({});
    model.ingestLogs([
      makeJobLog({ kind: 'still_running', attempt: quiet, timeMs: T0 + 60_000, silenceSeconds: 45 }),
      makeJobLog({ kind: 'still_running', attempt: busy, timeMs: T0 + 60_000, silenceSeconds: 5 }),
    ]);
    expect(attributesOf(quiet)['joblens.job.id']).toBe('quiet');
    expect(attributesOf(quiet)['joblens.job.silence']).toBe(45);
    expect(attributesOf(busy)).toEqual({});
  });

  it('evicts the oldest live job beyond the count bound', () => {
    const { model } = modelAt(T0 + 10_000, { maxLiveJobs: 3 });
    const attempts = [1, 2, 3, 4].map((n) => makeAttemptSpan({ jobId: `j${n}`, startMs: T0 + n }));
    for (const [index, attempt] of attempts.entries()) {
      model.ingestLogs([makeJobLog({ kind: 'started', attempt, timeMs: T0 + index })]);
    }
    expect([...model.liveJobs()].map((job) => job.jobId)).toEqual(['j2', 'j3', 'j4']);
    expect(model.windowSizes().liveJobs).toBe(3);
    expect(model.workers(T0 + 10_000)[0].activeJobs).toBe(3);
  });

  it('keeps a hung job live while many more short jobs start and end than the bound holds', () => {
    const { model } = modelAt(T0 + 100_000, { maxLiveJobs: 100 });
    const hung = makeAttemptSpan({ jobId: 'hung', startMs: T0 });
    model.ingestLogs([makeJobLog({ kind: 'started', attempt: hung, timeMs: T0 })]);
    for (let n = 1; n <= 1_000; n++) {
      const short = makeAttemptSpan({ jobId: `short-${n}`, startMs: T0 + n, durationMs: 5 });
      model.ingestLogs([makeJobLog({ kind: 'started', attempt: short, timeMs: T0 + n })]);
      model.ingestSpans([short]);
    }
    // Never more than two live at once: the bound of 100 is never reached, so nothing may be evicted.
    expect([...model.liveJobs()].map((job) => job.jobId)).toEqual(['hung']);
  });

  it('stays within every count bound under high job-id cardinality, keeping the newest', () => {
    const { model } = modelAt(T0 + 100_000, {
      maxLiveJobs: 1_000,
      maxFinishedAttempts: 1_000,
      maxJobs: 1_500,
      maxEndedAttemptKeys: 1_200,
    });
    const resource = makeResource({ worker: 'busy' });
    for (let n = 0; n < 5_000; n++) {
      const running = makeAttemptSpan({ resource, jobId: `live-${n}`, startMs: T0 + n });
      model.ingestLogs([makeJobLog({ kind: 'started', attempt: running, timeMs: T0 + n })]);
      model.ingestSpans([makeAttemptSpan({ resource, jobId: `done-${n}`, startMs: T0 + n, durationMs: 10 })]);
    }
    const sizes = model.windowSizes();
    expect(sizes.liveJobs).toBeLessThanOrEqual(1_000);
    expect(sizes.finishedAttempts).toBeLessThanOrEqual(1_000);
    expect(sizes.jobs).toBeLessThanOrEqual(1_500);
    expect(sizes.endedAttemptKeys).toBeLessThanOrEqual(1_200);
    expect([...model.liveJobs()].some((job) => job.jobId === 'live-4999')).toBe(true);
    expect([...model.liveJobs()].some((job) => job.jobId === 'live-0')).toBe(false);
    expect([...model.finishedAttempts(0)].at(-1)?.facts.jobId).toBe('done-4999');
    expect(model.workers(T0 + 100_000)[0].activeJobs).toBe(sizes.liveJobs);
  });

  it('keeps at most maxFinishedAttempts, dropping the oldest, and drops attempts past their retention', () => {
    const { model, clock } = modelAt(T0 + 1_000, {
      maxFinishedAttempts: 5,
      finishedAttemptRetentionSeconds: 60,
    });
    const spans = Array.from({ length: 8 }, (_, n) =>
      makeAttemptSpan({ jobId: `j${n}`, startMs: T0 + n * 10, durationMs: 5 }),
    );
    model.ingestSpans(spans);
    expect([...model.finishedAttempts(0)].map((a) => a.facts.jobId)).toEqual(['j3', 'j4', 'j5', 'j6', 'j7']);
    clock.now = T0 + 120_000;
    model.ingestSpans([makeAttemptSpan({ jobId: 'late', startMs: T0 + 100_000 })]);
    expect([...model.finishedAttempts(0)].map((a) => a.facts.jobId)).toEqual(['late']);
  });

  it('keeps span attributes of failed attempts, and of completed ones only while among the newest', () => {
    const { model } = modelAt(T0 + 60_000, { maxCompletedAttemptsWithAttributes: 2 });
    const failed = makeAttemptSpan({ jobId: 'bad', outcome: 'failed', errorType: 'E', startMs: T0 });
    const done = [1, 2, 3].map((n) => makeAttemptSpan({ jobId: `ok-${n}`, startMs: T0 + n }));
    model.ingestSpans([failed, ...done]);
    const attributesOf = (span: typeof failed) =>
      model.attemptContext(span.traceId, span.spanId)?.attributes ?? {};
    expect(attributesOf(failed)['joblens.job.id']).toBe('bad');
    expect(attributesOf(done[0])).toEqual({});
    expect(attributesOf(done[1])['joblens.job.id']).toBe('ok-2');
    expect(attributesOf(done[2])['joblens.job.id']).toBe('ok-3');
  });

  it('finds every held attempt by its ids after its window grew past pruned ones', () => {
    const { model, clock } = modelAt(T0, { maxFinishedAttempts: 5_000, finishedAttemptRetentionSeconds: 60 });
    const spans = Array.from({ length: 4_000 }, (_, n) =>
      makeAttemptSpan({ jobId: `j${n}`, startMs: T0 + n * 100, durationMs: 10 }),
    );
    // The first 1,000 (ended before T0 + 100 s) fall out of the 60 s retention at T0 + 160 s, after
    // 1,500 arrived: the window then wraps, and grows while wrapped as the other 2,500 arrive.
    model.ingestSpans(spans.slice(0, 1_500));
    clock.now = T0 + 160_000;
    model.prune();
    model.ingestSpans(spans.slice(1_500));
    const held = spans.slice(1_000);
    expect([...model.finishedAttempts(0)].map((a) => a.facts.jobId)).toEqual(
      held.map((span) => span.attributes['joblens.job.id']),
    );
    for (const span of held) {
      expect(model.jobTimeline(span.traceId)?.attempts.map((a) => a.spanId)).toEqual([span.spanId]);
    }
    expect(model.jobTimeline(spans[0].traceId)).toBeUndefined();
  });

  it('keeps span attributes of completed attempts long enough to hold a mystery gap', () => {
    const { model } = modelAt(T0 + 60_000, { maxCompletedAttemptsWithAttributes: 2, longAttemptSeconds: 5 });
    const long = makeAttemptSpan({ jobId: 'long', startMs: T0, durationMs: 5_000 });
    const short = makeAttemptSpan({ jobId: 'short', startMs: T0, durationMs: 4_999 });
    const newer = [1, 2, 3].map((n) => makeAttemptSpan({ jobId: `ok-${n}`, startMs: T0 + n }));
    model.ingestSpans([long, short, ...newer]);
    const attributesOf = (span: typeof long) =>
      model.attemptContext(span.traceId, span.spanId)?.attributes ?? {};
    expect(attributesOf(long)['joblens.job.id']).toBe('long');
    expect(attributesOf(short)).toEqual({});
  });

  it('bounds the children waiting for a parent', () => {
    const { model } = modelAt(T0, { maxPendingChildren: 10 });
    for (let n = 0; n < 50; n++) {
      const orphanParent = makeAttemptSpan();
      model.ingestSpans([makeStepSpan({ parent: orphanParent, name: 's', startMs: T0, endMs: T0 + 1 })]);
    }
    expect(model.windowSizes().pendingChildren).toBeLessThanOrEqual(10);
  });

  it('keeps at most maxJobs jobs, dropping the oldest', () => {
    const { model } = modelAt(T0 + 100_000, { maxJobs: 4 });
    model.ingestSpans(
      Array.from({ length: 10 }, (_, n) => makeAttemptSpan({ jobId: `j${n}`, startMs: T0 + n })),
    );
    expect([...model.jobs(0)].map((job) => job.jobId)).toEqual(['j6', 'j7', 'j8', 'j9']);
  });

  it('keeps error types per job, and none for jobs that never failed', () => {
    const { model } = modelAt(T0 + 60_000);
    model.ingestSpans([
      makeAttemptSpan({ jobId: 'a', outcome: 'failed', errorType: 'Alpha', startMs: T0 }),
      makeAttemptSpan({ jobId: 'b', outcome: 'failed', errorType: 'Beta', startMs: T0 }),
      makeAttemptSpan({ jobId: 'c', startMs: T0 }),
    ]);
    const errors = Object.fromEntries(
      [...model.jobs(0)].map((job) => [job.jobId, Object.fromEntries(job.errorTypes)]),
    );
    expect(errors).toEqual({ a: { Alpha: 1 }, b: { Beta: 1 }, c: {} });
  });

  it('reads heartbeats, queue gauges and active-job gauges per worker', () => {
    const { model } = modelAt(T0 + 40_000);
    const resource = makeResource({ worker: 'w-a', host: 'h-a' });
    model.ingestMetrics([
      makeHeartbeatPoint({ resource, timeMs: T0, count: 1 }),
      makeHeartbeatPoint({ resource, timeMs: T0 + 10_000, count: 2 }),
      makeHeartbeatPoint({ resource, timeMs: T0 + 20_000, count: 3 }),
      makeQueueDepthPoint({ resource, timeMs: T0 + 20_000, queue: 'emails', state: 'waiting', depth: 12 }),
      makeQueueDepthPoint({ resource, timeMs: T0 + 20_000, queue: 'emails', state: 'active', depth: 2 }),
      makeOldestReadyAgePoint({ resource, timeMs: T0 + 20_000, queue: 'emails', ageSeconds: 33 }),
      makeActiveJobsPoint({ resource, timeMs: T0 + 20_000, queue: 'emails', active: 2 }),
    ]);
    const [worker] = [...model.workerStates()];
    expect(worker).toMatchObject({
      lastHeartbeatMs: T0 + 20_000,
      heartbeatIntervalMs: 10_000,
      reportedActiveJobs: 2,
    });
    expect([...worker.queues]).toEqual(['emails']);
    const [queue] = [...model.queueStates()];
    expect(queue).toMatchObject({
      service: 'svc',
      queue: 'emails',
      depthByState: { waiting: 12, active: 2 },
      oldestReadyAgeSeconds: 33,
    });
    expect(model.workers(T0 + 40_000)[0]).toMatchObject({
      worker: 'w-a',
      host: 'h-a',
      heartbeatAgeSeconds: 20,
    });
  });

  it('gives each worker its share of a queue and its oldest active job', () => {
    const { model } = modelAt(T0 + 60_000);
    const a = makeResource({ worker: 'w-a' });
    const b = makeResource({ worker: 'w-b' });
    model.ingestSpans([
      ...Array.from({ length: 3 }, (_, n) => makeAttemptSpan({ resource: a, startMs: T0 + n * 1000 })),
      makeAttemptSpan({ resource: b, startMs: T0 }),
    ]);
    const running = makeAttemptSpan({ resource: b, jobId: 'long', startMs: T0 + 5_000 });
    model.ingestLogs([makeJobLog({ kind: 'started', attempt: running, timeMs: T0 + 5_000 })]);
    const [wa, wb] = model.workers(T0 + 60_000);
    expect(wa.queues).toEqual([{ queue: 'emails', attemptsStarted: 3, share: 0.6 }]);
    expect(wb.queues).toEqual([{ queue: 'emails', attemptsStarted: 2, share: 0.4 }]);
    expect(wb.oldestActiveJob).toMatchObject({ jobId: 'long', elapsedSeconds: 55 });
  });

  it('rebuilds a job timeline across attempts, by trace id or by job', () => {
    const { model } = modelAt(T0 + 60_000);
    const first = makeAttemptSpan({
      jobId: 'r-1',
      attempt: 1,
      maxAttempts: 3,
      outcome: 'retry_scheduled',
      errorType: 'Timeout',
      startMs: T0,
    });
    const second = makeAttemptSpan({
      jobId: 'r-1',
      attempt: 2,
      maxAttempts: 3,
      startMs: T0 + 10_000,
      durationMs: 4_000,
      events: [makeCheckpointEvent('half', T0 + 12_000)],
    });
    model.ingestSpans([
      second,
      makeStepSpan({ parent: second, name: 'call', startMs: T0 + 10_000, endMs: T0 + 11_000 }),
      first,
    ]);
    const byTrace = model.jobTimeline(second.traceId);
    const byJob = model.jobTimeline({ service: 'svc', queue: 'emails', jobId: 'r-1' });
    expect(byTrace).toEqual(byJob);
    expect(byJob?.attempts.map((a) => [a.attempt, a.outcome, a.errorType])).toEqual([
      [1, 'retry_scheduled', 'Timeout'],
      [2, 'completed', undefined],
    ]);
    expect(byJob?.attempts[1].checkpoints.map((c) => c.name)).toEqual(['half']);
    expect(byJob?.attempts[1].steps.map((s) => s.name)).toEqual(['call']);
    expect(model.jobTimeline('0'.repeat(32))).toBeUndefined();
  });

  it('finds a running first attempt by its job, and counts it once when it ends', () => {
    const { model } = modelAt(T0 + 30_000);
    const attempt = makeAttemptSpan({ jobId: 'fresh', startMs: T0, durationMs: 20_000 });
    model.ingestLogs([makeJobLog({ kind: 'started', attempt, timeMs: T0, currentStep: 'boot' })]);
    const running = model.jobTimeline({ service: 'svc', queue: 'emails', jobId: 'fresh' });
    expect(running).toMatchObject({
      jobId: 'fresh',
      attempts: [],
      live: { traceId: attempt.traceId, silenceSeconds: 30 },
    });
    model.ingestSpans([attempt]);
    const [job] = [...model.jobs(0)];
    expect(job).toMatchObject({ jobId: 'fresh', attemptsSeen: 1, maxAttempt: 1 });
    expect(model.jobTimeline({ service: 'svc', queue: 'emails', jobId: 'fresh' })?.attempts).toHaveLength(1);
  });

  it('gives an attempt its attributes, failure snapshot, dumps and worker for explain', () => {
    const { model } = modelAt(T0 + 60_000);
    const attempt = makeAttemptSpan({
      outcome: 'failed',
      errorType: 'Boom',
      startMs: T0,
      events: [
        { name: EVENT_FAILURE_SNAPSHOT, timeMs: T0 + 900, attributes: { 'joblens.snapshot.rss': 123 } },
      ],
    });
    model.ingestSpans([attempt]);
    model.ingestLogs([
      makeJobLog({
        kind: 'worker_dump',
        attempt,
        timeMs: T0 + 500,
        attributes: { 'joblens.dump.path': '/tmp/d' },
      }),
    ]);
    const context = model.attemptContext(attempt.traceId, attempt.spanId);
    expect(context?.facts?.errorType).toBe('Boom');
    expect(context?.snapshot).toEqual({ 'joblens.snapshot.rss': 123 });
    expect(context?.dumps.map((dump) => dump.attributes['joblens.dump.path'])).toEqual(['/tmp/d']);
    expect(context?.worker?.worker).toBe('worker-1');
    expect(model.attemptContext('1'.repeat(32), '1'.repeat(16))).toBeUndefined();
  });

  it('keeps event-loop blocks once each, with the job they hit', () => {
    const { model } = modelAt(T0 + 60_000);
    const attempt = makeAttemptSpan({ jobId: 'cpu' });
    const block = makeEventLoopBlockedLog({ timeMs: T0, blockedSeconds: 3, attempt, currentStep: 'parse' });
    model.ingestLogs([block, block]);
    expect([...model.eventLoopBlocks(0)]).toEqual([
      expect.objectContaining({
        worker: 'worker-1',
        blockedSeconds: 3,
        jobId: 'cpu',
        currentStep: 'parse',
        traceId: attempt.traceId,
      }),
    ]);
  });

  it("takes a block's recovery record as its total length, not as a second block", () => {
    const { model } = modelAt(T0 + 60_000);
    const resource = makeResource({ worker: 'w-loop' });
    const during = makeEventLoopBlockedLog({ resource, timeMs: T0 + 1_000, blockedSeconds: 1 });
    const recovered = {
      ...makeEventLoopBlockedLog({ resource, timeMs: T0 + 6_000, blockedSeconds: 6 }),
      eventName: LOG_EVENT_LOOP_RECOVERED,
    };
    model.ingestLogs([during, recovered]);
    expect([...model.eventLoopBlocks(0)].map((block) => block.blockedSeconds)).toEqual([6]);
    const lone = {
      ...makeEventLoopBlockedLog({ resource, timeMs: T0 + 30_000, blockedSeconds: 2 }),
      eventName: LOG_EVENT_LOOP_RECOVERED,
    };
    model.ingestLogs([lone]);
    expect([...model.eventLoopBlocks(0)].map((block) => block.blockedSeconds)).toEqual([6, 2]);
  });

  it('skips records it cannot read without throwing', () => {
    const { model } = modelAt(T0);
    const broken = { ...makeAttemptSpan(), attributes: null } as unknown as Parameters<
      TelemetryModel['ingestSpans']
    >[0][number];
    const good = makeAttemptSpan({ startMs: T0 });
    expect(() => model.ingestSpans([broken, good])).not.toThrow();
    expect(model.skippedRecords).toBe(1);
    expect([...model.finishedAttempts(0)]).toHaveLength(1);
  });

  it('rejects an invalid bound naming the option', () => {
    expect(() => new TelemetryModel({ maxLiveJobs: -1 })).toThrow(
      /maxLiveJobs: expected a positive number, got -1/,
    );
  });
});
