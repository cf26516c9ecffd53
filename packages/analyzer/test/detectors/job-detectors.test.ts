import type { SpanRecord } from '@joblens/otlp-receiver';
import {
  makeAttemptSpan,
  makeCheckpointEvent,
  makeJobLog,
  makeJobOutcomesPoint,
  makeResource,
  makeStepSpan,
} from '@joblens/test-utils';
import { describe, expect, it } from 'vitest';
import { mysteryGapDetector } from '../../src/detectors/mystery-gap.js';
import { retryStormDetector } from '../../src/detectors/retry-storm.js';
import { runawayRetriesDetector } from '../../src/detectors/runaway-retries.js';
import { silentJobDetector } from '../../src/detectors/silent-job.js';
import { TelemetryModel } from '../../src/model/telemetry-model.js';

const T0 = 1_700_000_000_000;

function modelAt(nowMs: number): TelemetryModel {
  return new TelemetryModel({ clock: () => nowMs });
}

/** An export job: fetch, then a silent stretch of `silentMs`, then upload. */
function exportAttempt(startMs: number, silentMs: number, jobId: string): SpanRecord[] {
  const attempt = makeAttemptSpan({
    queue: 'reports',
    jobName: 'export',
    jobId,
    startMs,
    durationMs: 2_000 + silentMs,
  });
  return [
    attempt,
    makeStepSpan({ parent: attempt, name: 'fetch', startMs, endMs: startMs + 1_000 }),
    makeStepSpan({
      parent: attempt,
      name: 'upload',
      startMs: startMs + 1_000 + silentMs,
      endMs: startMs + 2_000 + silentMs,
    }),
  ];
}

/** Past mystery_gap's settle time: the spans arrived long enough ago that no step is still on its way. */
const SETTLED_MS = mysteryGapDetector.defaults.settleSeconds * 1000;

describe('mystery_gap', () => {
  it('reports a gap between the fetch and the upload step, once for every job with it', () => {
    const now = T0 + 120_000;
    const model = modelAt(now - SETTLED_MS);
    model.ingestSpans([
      ...exportAttempt(T0, 8_000, 'a'),
      ...exportAttempt(T0 + 20_000, 12_000, 'b'),
      ...exportAttempt(T0 + 40_000, 500, 'c'),
    ]);
    const drafts = mysteryGapDetector.evaluate(model, now, mysteryGapDetector.defaults);
    expect(drafts).toHaveLength(1);
    const [draft] = drafts;
    expect(draft.key).toBe('svc|reports|export|fetch->upload');
    expect(draft.subject).toEqual({ service: 'svc', queue: 'reports', jobName: 'export' });
    expect(draft.summary).toContain('between "fetch" and "upload"');
    expect(draft.evidence.figures).toMatchObject({
      worstGapSeconds: 12,
      attemptsWithGap: 2,
      attemptsSeen: 3,
    });
    const worst = [...model.finishedAttempts(0)].find((attempt) => attempt.facts.jobId === 'b');
    expect(draft.evidence.traces[0]).toMatchObject({
      traceId: worst?.facts.traceId,
      spanId: worst?.facts.spanId,
    });
  });

  it('names the attempt end when the silence closes the attempt', () => {
    const now = T0 + 60_000;
    const model = modelAt(now - SETTLED_MS);
    const attempt = makeAttemptSpan({
      jobName: 'sync',
      startMs: T0,
      durationMs: 9_000,
      events: [makeCheckpointEvent('rows', T0 + 1_000)],
    });
    model.ingestSpans([attempt]);
    const [draft] = mysteryGapDetector.evaluate(model, now, mysteryGapDetector.defaults);
    expect(draft.key).toBe('svc|emails|sync|rows->end');
    expect(draft.summary).toContain('between "rows" and the attempt end');
  });

  it('says nothing of attempts without any step or checkpoint, or gaps under the threshold', () => {
    const now = T0 + 60_000;
    const model = modelAt(now);
    model.ingestSpans([
      makeAttemptSpan({ startMs: T0, durationMs: 30_000 }),
      ...exportAttempt(T0, 4_000, 'short'),
    ]);
    expect(mysteryGapDetector.evaluate(model, now, mysteryGapDetector.defaults)).toEqual([]);
  });

  it('stops holding once the gapped attempts are out of the window', () => {
    const model = modelAt(T0 + 60_000);
    model.ingestSpans(exportAttempt(T0, 8_000, 'a'));
    const later = T0 + 10_000 + 601_000;
    expect(mysteryGapDetector.evaluate(model, later, mysteryGapDetector.defaults)).toEqual([]);
    expect(
      mysteryGapDetector.evaluate(model, T0 + 60_000 + SETTLED_MS, mysteryGapDetector.defaults),
    ).toHaveLength(1);
  });

  it('waits for a step that comes in a later export, however long ago the attempt ended', () => {
    // The attempt ended a minute before it arrived (an exporter's batch, a retry after 503); its upload step
    // comes in the next export, a second later.
    let clock = T0 + 60_000;
    const model = new TelemetryModel({ clock: () => clock });
    const [attempt, fetch, upload] = exportAttempt(T0, 8_000, 'late-step');
    model.ingestSpans([attempt, fetch]);
    clock += 1_000;
    expect(mysteryGapDetector.evaluate(model, clock, mysteryGapDetector.defaults)).toEqual([]);
    model.ingestSpans([upload]);
    clock += SETTLED_MS;
    const drafts = mysteryGapDetector.evaluate(model, clock, mysteryGapDetector.defaults);
    expect(drafts.map((draft) => draft.key)).toEqual(['svc|reports|export|fetch->upload']);
  });

  it('keeps counting a judged attempt when a straggling step of it arrives', () => {
    let clock = T0 + 60_000;
    const model = new TelemetryModel({ clock: () => clock });
    const [attempt, fetch, upload] = exportAttempt(T0, 8_000, 'straggler');
    model.ingestSpans([attempt, upload]);
    clock += SETTLED_MS;
    expect(mysteryGapDetector.evaluate(model, clock, mysteryGapDetector.defaults)).toHaveLength(1);
    model.ingestSpans([fetch]);
    const [draft] = mysteryGapDetector.evaluate(model, clock, mysteryGapDetector.defaults);
    expect(draft?.evidence.figures).toMatchObject({ attemptsWithGap: 1, attemptsSeen: 1 });
  });
});

describe('silent_job', () => {
  it('reports a job that went silent in a step before its span ends', () => {
    const now = T0 + 90_000;
    const model = modelAt(now);
    const attempt = makeAttemptSpan({
      resource: makeResource({ worker: 'w-7', host: 'h-7', pid: 4711 }),
      jobName: 'charge',
      jobId: 'c-1',
      startMs: T0,
    });
    model.ingestLogs([
      makeJobLog({ kind: 'started', attempt, timeMs: T0 }),
      makeJobLog({
        kind: 'still_running',
        attempt,
        timeMs: T0 + 60_000,
        silenceSeconds: 50,
        elapsedSeconds: 60,
        currentStep: 'call-bank',
      }),
    ]);
    const [draft, ...rest] = silentJobDetector.evaluate(model, now, silentJobDetector.defaults);
    expect(rest).toEqual([]);
    expect(draft.key).toBe('svc|emails|c-1');
    expect(draft.subject).toMatchObject({ jobId: 'c-1', worker: 'w-7', host: 'h-7', jobName: 'charge' });
    expect(draft.evidence.figures).toMatchObject({
      silenceSeconds: 80,
      elapsedSeconds: 90,
      currentStep: 'call-bank',
    });
    expect(draft.summary).toContain('in step "call-bank"');
    // The dump command is one a person can run: it names the pid the SDK sent and the host to run it on.
    expect(draft.nextStep).toMatch(
      /^Run `npx joblens dump 4711` on host h-7 \(worker w-7\) to see what "call-bank"/,
    );
    expect(draft.evidence.traces[0].traceId).toBe(attempt.traceId);
  });

  it('says how to find the process when the worker sent no pid', () => {
    const now = T0 + 90_000;
    const model = modelAt(now);
    const attempt = makeAttemptSpan({ resource: makeResource({ worker: 'w-8' }), jobId: 'c-3', startMs: T0 });
    model.ingestLogs([makeJobLog({ kind: 'started', attempt, timeMs: T0 })]);
    const [draft] = silentJobDetector.evaluate(model, now, silentJobDetector.defaults);
    expect(draft.nextStep).toContain(
      'Find the process of worker w-8 on host host-1 (it sent no process.pid)',
    );
  });

  it('lets the job go once it speaks again or ends', () => {
    const now = T0 + 90_000;
    const model = modelAt(now);
    const attempt = makeAttemptSpan({ jobId: 'c-2', startMs: T0 });
    model.ingestLogs([makeJobLog({ kind: 'started', attempt, timeMs: T0 })]);
    expect(silentJobDetector.evaluate(model, now, silentJobDetector.defaults)).toHaveLength(1);
    model.ingestLogs([
      makeJobLog({ kind: 'still_running', attempt, timeMs: T0 + 80_000, silenceSeconds: 2 }),
    ]);
    expect(silentJobDetector.evaluate(model, now, silentJobDetector.defaults)).toEqual([]);
    model.ingestLogs([makeJobLog({ kind: 'ended', attempt, timeMs: T0 + 200_000, outcome: 'completed' })]);
    expect(silentJobDetector.evaluate(model, T0 + 400_000, silentJobDetector.defaults)).toEqual([]);
  });
});

describe('runaway_retries', () => {
  it('reports a job past the attempt threshold and names its repeated error', () => {
    const now = T0 + 300_000;
    const model = modelAt(now);
    for (let attempt = 1; attempt <= 6; attempt++) {
      model.ingestSpans([
        makeAttemptSpan({
          jobName: 'import',
          jobId: 'poison',
          attempt,
          maxAttempts: 25,
          outcome: 'retry_scheduled',
          errorType: attempt === 3 ? 'Timeout' : 'ValidationError',
          startMs: T0 + attempt * 10_000,
        }),
      ]);
    }
    const drafts = runawayRetriesDetector.evaluate(model, now, runawayRetriesDetector.defaults);
    const perJob = drafts.find((draft) => draft.key === 'job|svc|emails|poison');
    expect(perJob?.evidence.figures).toMatchObject({
      attempt: 6,
      repeatedErrorType: 'ValidationError',
      repeatedErrorCount: 5,
    });
    expect(perJob?.summary).toContain('attempt 6');
    expect(perJob?.summary).toContain('ValidationError');
  });

  it('reports a job name whose attempts are mostly retries', () => {
    const now = T0 + 300_000;
    const model = modelAt(now);
    for (let n = 0; n < 6; n++) {
      model.ingestSpans([
        makeAttemptSpan({
          jobName: 'sync',
          jobId: `s${n}`,
          attempt: 1,
          maxAttempts: 3,
          outcome: 'retry_scheduled',
          errorType: 'ECONNRESET',
          startMs: T0 + n * 1_000,
        }),
        makeAttemptSpan({
          jobName: 'sync',
          jobId: `s${n}`,
          attempt: 2,
          maxAttempts: 3,
          startMs: T0 + 60_000 + n * 1_000,
        }),
      ]);
    }
    const drafts = runawayRetriesDetector.evaluate(model, now, runawayRetriesDetector.defaults);
    expect(drafts.map((draft) => draft.key)).toEqual(['ratio|svc|emails|sync']);
    expect(drafts[0].evidence.figures).toMatchObject({
      retryRatio: 0.5,
      attempts: 12,
      retriedAttempts: 6,
      repeatedErrorType: 'ECONNRESET',
    });
  });

  it('leaves a job that completed on its last retry and a name with few retries alone', () => {
    const now = T0 + 300_000;
    const model = modelAt(now);
    for (let attempt = 1; attempt <= 6; attempt++) {
      const outcome = attempt === 6 ? 'completed' : 'retry_scheduled';
      model.ingestSpans([
        makeAttemptSpan({
          jobName: 'lone',
          jobId: 'late-win',
          attempt,
          outcome,
          errorType: 'E',
          startMs: T0 + attempt,
        }),
      ]);
    }
    for (let n = 0; n < 40; n++)
      model.ingestSpans([makeAttemptSpan({ jobName: 'fine', jobId: `f${n}`, startMs: T0 + n })]);
    model.ingestSpans([makeAttemptSpan({ jobName: 'fine', jobId: 'f0', attempt: 2, startMs: T0 + 100 })]);
    expect(runawayRetriesDetector.evaluate(model, now, runawayRetriesDetector.defaults)).toEqual([]);
    // With a lower bar the lone job's name (5 retries in 6 attempts) shows, but never the job itself.
    const lowBar = { ...runawayRetriesDetector.defaults, minAttemptsForRatio: 5 };
    expect(runawayRetriesDetector.evaluate(model, now, lowBar).map((d) => d.key)).toEqual([
      'ratio|svc|emails|lone',
    ]);
  });
});

describe('runaway_retries under tail sampling', () => {
  function sampledFleet(completedCount: number, retriedCount: number) {
    const now = T0 + 300_000;
    const model = modelAt(now);
    const resource = makeResource({ worker: 'sampling-worker' });
    // Spans: every failure and retry is kept, healthy attempts sampled out; on spans alone half are retries.
    for (let n = 0; n < 8; n++) {
      model.ingestSpans([
        makeAttemptSpan({
          resource,
          jobName: 'mail',
          jobId: `m${n}`,
          attempt: 1,
          maxAttempts: 3,
          outcome: 'retry_scheduled',
          errorType: 'SmtpTimeout',
          startMs: T0 + 100_000 + n,
        }),
        makeAttemptSpan({
          resource,
          jobName: 'mail',
          jobId: `m${n}`,
          attempt: 2,
          maxAttempts: 3,
          startMs: T0 + 110_000 + n,
        }),
      ]);
    }
    // The counter sees every attempt: cumulative from the worker's start.
    model.ingestMetrics([
      makeJobOutcomesPoint({
        resource,
        timeMs: T0 + 90_000,
        startTimeMs: T0,
        jobName: 'mail',
        outcome: 'completed',
        count: 0,
      }),
      makeJobOutcomesPoint({
        resource,
        timeMs: T0 + 90_000,
        startTimeMs: T0,
        jobName: 'mail',
        outcome: 'retry_scheduled',
        count: 0,
      }),
      makeJobOutcomesPoint({
        resource,
        timeMs: T0 + 200_000,
        startTimeMs: T0,
        jobName: 'mail',
        outcome: 'completed',
        count: completedCount,
      }),
      makeJobOutcomesPoint({
        resource,
        timeMs: T0 + 200_000,
        startTimeMs: T0,
        jobName: 'mail',
        outcome: 'retry_scheduled',
        count: retriedCount,
      }),
    ]);
    return { model, now };
  }

  it('takes the ratio from the unsampled outcome counter, not from the sampled spans', () => {
    const { model, now } = sampledFleet(200, 8);
    expect(runawayRetriesDetector.evaluate(model, now, runawayRetriesDetector.defaults)).toEqual([]);
  });

  it('still reports a job name whose counted attempts are mostly retries', () => {
    const { model, now } = sampledFleet(10, 30);
    const drafts = runawayRetriesDetector.evaluate(model, now, runawayRetriesDetector.defaults);
    expect(drafts.map((draft) => draft.key)).toEqual(['ratio|svc|emails|mail']);
    expect(drafts[0].evidence.figures).toMatchObject({
      attempts: 40,
      retriedAttempts: 30,
      countedFrom: 'outcome_counter',
      repeatedErrorType: 'SmtpTimeout',
    });
  });
});

describe('retry_storm', () => {
  it('reports many jobs failing with the same error as one burst', () => {
    const now = T0 + 60_000;
    const model = modelAt(now);
    const workers = ['w1', 'w2', 'w3'].map((worker) => makeResource({ worker }));
    for (let n = 0; n < 12; n++) {
      model.ingestSpans([
        makeAttemptSpan({
          resource: workers[n % 3],
          jobId: `p${n}`,
          jobName: 'notify',
          outcome: 'retry_scheduled',
          errorType: 'RedisDown',
          startMs: T0 + 20_000 + n * 1_000,
        }),
      ]);
    }
    model.ingestSpans([
      makeAttemptSpan({ jobId: 'other', outcome: 'failed', errorType: 'Oops', startMs: T0 + 30_000 }),
    ]);
    const drafts = retryStormDetector.evaluate(model, now, retryStormDetector.defaults);
    expect(drafts).toHaveLength(1);
    expect(drafts[0].key).toBe('svc|emails|RedisDown');
    expect(drafts[0].evidence.figures).toMatchObject({
      distinctJobs: 12,
      failedAttempts: 12,
      workers: 3,
      errorType: 'RedisDown',
    });
    expect(drafts[0].summary).toContain('12 jobs');
  });

  it('keeps credentials in the error message out of its suggested next step', () => {
    const now = T0 + 60_000;
    const model = modelAt(now);
    for (let n = 0; n < 12; n++) {
      const span = makeAttemptSpan({
        jobId: `s${n}`,
        outcome: 'retry_scheduled',
        errorType: 'ConnectionRefused',
        startMs: T0 + 20_000 + n * 1_000,
      });
      span.statusMessage = 'connect postgres://app:s3cretpassword@db.internal:5432/app refused';
      model.ingestSpans([span]);
    }
    const [draft] = retryStormDetector.evaluate(model, now, retryStormDetector.defaults);
    expect(draft.nextStep).toContain('postgres://app:[REDACTED]@db');
    expect(draft.nextStep).not.toMatch(/s3cret/);
  });

  it('does not call one job failing many times a storm, nor a burst that is over', () => {
    const model = modelAt(T0 + 60_000);
    for (let n = 0; n < 15; n++) {
      model.ingestSpans([
        makeAttemptSpan({
          jobId: 'same',
          attempt: n + 1,
          outcome: 'retry_scheduled',
          errorType: 'X',
          startMs: T0 + 20_000 + n * 1_000,
        }),
      ]);
    }
    expect(retryStormDetector.evaluate(model, T0 + 60_000, retryStormDetector.defaults)).toEqual([]);
    for (let n = 0; n < 15; n++) {
      model.ingestSpans([
        makeAttemptSpan({
          jobId: `d${n}`,
          outcome: 'failed',
          errorType: 'Y',
          startMs: T0 + 20_000 + n * 100,
        }),
      ]);
    }
    expect(retryStormDetector.evaluate(model, T0 + 60_000, retryStormDetector.defaults)).toHaveLength(1);
    expect(retryStormDetector.evaluate(model, T0 + 200_000, retryStormDetector.defaults)).toEqual([]);
  });
});
