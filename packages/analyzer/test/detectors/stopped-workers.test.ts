import {
  makeAttemptSpan,
  makeHeartbeatPoint,
  makeJobLog,
  makeOldestReadyAgePoint,
  makeQueueDepthPoint,
  makeResource,
  makeWorkerStoppedLog,
} from '@joblens/test-utils';
import { describe, expect, it } from 'vitest';
import { queueStarvationDetector } from '../../src/detectors/queue-starvation.js';
import { silentJobDetector } from '../../src/detectors/silent-job.js';
import { silentWorkerDetector } from '../../src/detectors/silent-worker.js';
import { TelemetryModel } from '../../src/model/telemetry-model.js';

const T0 = 1_700_000_000_000;

/** A model on a clock the test moves, with a worker that beat every 10 s for a minute. */
function modelWithWorkers(names: string[]) {
  const clock = { now: T0 };
  const model = new TelemetryModel({ clock: () => clock.now });
  const resources = names.map((worker) => makeResource({ service: 'cron', worker, host: 'h1' }));
  for (let t = T0; t <= T0 + 60_000; t += 10_000) {
    clock.now = t;
    model.ingestMetrics(
      resources.map((resource, i) => makeHeartbeatPoint({ resource, timeMs: t, count: i + 1 })),
    );
  }
  return { clock, model, resources };
}

function silentWorkers(model: TelemetryModel, now: number): string[] {
  return silentWorkerDetector
    .evaluate(model, now, silentWorkerDetector.defaults)
    .map((draft) => `${draft.key} ${draft.severity}`);
}

describe('a worker that announced its stop', () => {
  it('is not reported silent, while a worker that vanished without a word still is', () => {
    const { model, resources } = modelWithWorkers(['stopped', 'killed']);
    // The final flush: the stop record and a last heartbeat a moment later.
    model.ingestLogs([makeWorkerStoppedLog({ resource: resources[0], timeMs: T0 + 61_000 })]);
    model.ingestMetrics([makeHeartbeatPoint({ resource: resources[0], timeMs: T0 + 61_050, count: 8 })]);
    expect(silentWorkers(model, T0 + 180_000)).toEqual(['gone|killed warning']);
  });

  it('drops the jobs it held, so they do not turn into silent jobs', () => {
    const { model, resources } = modelWithWorkers(['stopped']);
    const attempt = makeAttemptSpan({ resource: resources[0], jobId: 'held', startMs: T0 + 30_000 });
    model.ingestLogs([makeJobLog({ kind: 'started', attempt, timeMs: T0 + 30_000 })]);
    expect([...model.liveJobs()]).toHaveLength(1);
    model.ingestLogs([
      makeWorkerStoppedLog({ resource: resources[0], timeMs: T0 + 61_000, reason: 'signal' }),
    ]);
    expect([...model.liveJobs()]).toEqual([]);
    expect(silentJobDetector.evaluate(model, T0 + 600_000, silentJobDetector.defaults)).toEqual([]);
  });

  it('is live again when the same instance id sends records after its stop, and then judged again', () => {
    const { clock, model, resources } = modelWithWorkers(['restarted']);
    model.ingestLogs([makeWorkerStoppedLog({ resource: resources[0], timeMs: T0 + 61_000 })]);
    clock.now = T0 + 200_000;
    model.ingestMetrics([makeHeartbeatPoint({ resource: resources[0], timeMs: clock.now, count: 1 })]);
    expect([...model.workerStates()][0].stoppedMs).toBeUndefined();
    expect(silentWorkers(model, T0 + 400_000)).toEqual(['gone|restarted warning']);
  });

  it('does not count as a worker of its queue: jobs left waiting have no live consumer', () => {
    const { clock, model, resources } = modelWithWorkers(['stopped']);
    const attempt = makeAttemptSpan({
      resource: resources[0],
      queue: 'reports',
      startMs: T0 + 10_000,
      durationMs: 1_000,
      outcome: 'completed',
    });
    model.ingestSpans([attempt]);
    // Its last queue gauges, sent with the final flush: jobs have been waiting for 85 s.
    model.ingestMetrics([
      makeQueueDepthPoint({
        resource: resources[0],
        timeMs: T0 + 60_500,
        queue: 'reports',
        state: 'waiting',
        depth: 5,
      }),
      makeOldestReadyAgePoint({
        resource: resources[0],
        timeMs: T0 + 60_500,
        queue: 'reports',
        ageSeconds: 85,
      }),
    ]);
    model.ingestLogs([makeWorkerStoppedLog({ resource: resources[0], timeMs: T0 + 61_000 })]);
    clock.now = T0 + 90_000;
    const starvation = queueStarvationDetector.evaluate(model, clock.now, queueStarvationDetector.defaults);
    expect(starvation.map((draft) => draft.summary)).toEqual([
      expect.stringContaining('no live worker consumes it'),
    ]);
  });

  it('is forgotten a few minutes after it stopped, and the table stays bounded', () => {
    const clock = { now: T0 };
    const model = new TelemetryModel({
      clock: () => clock.now,
      stoppedWorkerRetentionSeconds: 120,
      maxWorkers: 50,
    });
    // A cron wrapper every minute for two hours: a new short-lived worker each time.
    for (let run = 0; run < 120; run++) {
      clock.now = T0 + run * 60_000;
      const resource = makeResource({ service: 'cron', worker: `run-${run}`, host: 'h1' });
      model.ingestMetrics([makeHeartbeatPoint({ resource, timeMs: clock.now })]);
      model.ingestLogs([makeWorkerStoppedLog({ resource, timeMs: clock.now + 500 })]);
      model.prune(clock.now);
    }
    // The last three runs are within the two minutes; the others are gone.
    expect([...model.workerStates()].map((worker) => worker.worker)).toEqual([
      'run-117',
      'run-118',
      'run-119',
    ]);

    const crowded = new TelemetryModel({ clock: () => T0, maxWorkers: 50 });
    for (let n = 0; n < 80; n++) {
      const resource = makeResource({ service: 'cron', worker: `w-${n}`, host: 'h1' });
      crowded.ingestMetrics([makeHeartbeatPoint({ resource, timeMs: T0 + n })]);
      if (n < 40) crowded.ingestLogs([makeWorkerStoppedLog({ resource, timeMs: T0 + n })]);
    }
    crowded.prune(T0 + 100);
    const kept = [...crowded.workerStates()];
    expect(kept).toHaveLength(50);
    // Stopped workers go first: all 40 live ones are kept.
    expect(kept.filter((worker) => worker.stoppedMs === undefined)).toHaveLength(40);
  });
});
