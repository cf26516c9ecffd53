import type { ResourceRecord } from '@joblens/otlp-receiver';
import {
  makeAttemptSpan,
  makeConsumerPoints,
  makeHeartbeatPoint,
  makeJobLog,
  makeLastFetchPoint,
  makeOldestReadyAgePoint,
  makeQueueDepthPoint,
  makeResource,
} from '@joblens/test-utils';
import { describe, expect, it } from 'vitest';
import { silentWorkerDetector } from '../../src/detectors/silent-worker.js';
import { TelemetryModel } from '../../src/model/telemetry-model.js';

const T0 = 1_700_000_000_000;

function beating(model: TelemetryModel, resource: ResourceRecord, fromMs: number, toMs: number): void {
  let count = 0;
  for (let t = fromMs; t <= toMs; t += 10_000)
    model.ingestMetrics([makeHeartbeatPoint({ resource, timeMs: t, count: ++count })]);
}

/** A worker alive for five minutes, with 25 jobs ready for 90 s on its queue and nothing completed. */
function stuckWorker(now: number): { model: TelemetryModel; resource: ResourceRecord } {
  const model = new TelemetryModel({ clock: () => now });
  const resource = makeResource({ worker: 'w-stuck', host: 'box-1' });
  beating(model, resource, T0, now);
  model.ingestMetrics([
    makeQueueDepthPoint({ resource, timeMs: now - 2_000, state: 'waiting', depth: 25 }),
    makeOldestReadyAgePoint({ resource, timeMs: now - 2_000, ageSeconds: 90 }),
  ]);
  return { model, resource };
}

describe("silent_worker's evidence of what the consumer is doing", () => {
  it('says the consumer is paused, when it last fetched, and which jobs the worker holds', () => {
    const now = T0 + 300_000;
    const { model, resource } = stuckWorker(now);
    model.ingestMetrics([
      ...makeConsumerPoints({ resource, timeMs: now - 20_000, states: [{ state: 'running' }] }),
      // The next export: paused now; the state it left reads 0.
      ...makeConsumerPoints({
        resource,
        timeMs: now - 10_000,
        states: [{ state: 'paused' }, { state: 'running', consumers: 0 }],
      }),
      makeLastFetchPoint({ resource, timeMs: now - 10_000, lastFetchMs: now - 200_000 }),
    ]);
    for (const jobId of ['17', '18']) {
      const attempt = makeAttemptSpan({ resource, jobId });
      model.ingestLogs([makeJobLog({ kind: 'started', attempt, timeMs: T0 + 90_000 })]);
    }
    const [draft] = silentWorkerDetector.evaluate(model, now, silentWorkerDetector.defaults);
    expect(draft.key).toBe('stuck|w-stuck');
    expect(draft.summary).toContain('its consumer of emails is paused');
    expect(draft.nextStep).toMatch(/^The worker reports that its consumer of emails is paused: resume it/);
    expect(draft.evidence.figures).toMatchObject({
      consumerState: 'paused',
      connection: 'ready',
      lastFetchAgeSeconds: 200,
      activeJobIds: '17, 18',
    });
    expect(draft.evidence.detail).toMatchObject({
      consumer: { queue: 'emails', states: [{ state: 'paused', connection: 'ready', consumers: 1 }] },
      activeJobIds: ['17', '18'],
    });
  });

  it('says the connection is down when the consumer runs but cannot reach its broker', () => {
    const now = T0 + 300_000;
    const { model, resource } = stuckWorker(now);
    model.ingestMetrics(
      makeConsumerPoints({
        resource,
        timeMs: now - 5_000,
        states: [{ state: 'running', connection: 'reconnecting' }],
      }),
    );
    const [draft] = silentWorkerDetector.evaluate(model, now, silentWorkerDetector.defaults);
    expect(draft.summary).toContain('its connection is reconnecting');
    expect(draft.evidence.figures).toMatchObject({ consumerState: 'running', connection: 'reconnecting' });
  });

  it('adds nothing about a consumer from a worker whose adapter does not report one', () => {
    const now = T0 + 300_000;
    const { model } = stuckWorker(now);
    const [draft] = silentWorkerDetector.evaluate(model, now, silentWorkerDetector.defaults);
    expect(draft.evidence.figures).not.toHaveProperty('consumerState');
    expect(draft.evidence.figures).not.toHaveProperty('activeJobIds');
    expect(draft.summary).not.toContain('consumer');
  });

  it('tells what a gone worker last said of its consumer', () => {
    const now = T0 + 120_000;
    const model = new TelemetryModel({ clock: () => now });
    const resource = makeResource({ worker: 'w-gone', host: 'box-2' });
    beating(model, resource, T0, T0 + 50_000);
    model.ingestMetrics(
      makeConsumerPoints({
        resource,
        timeMs: T0 + 50_000,
        states: [{ state: 'closing', connection: 'end' }],
      }),
    );
    const [draft] = silentWorkerDetector.evaluate(model, now, silentWorkerDetector.defaults);
    expect(draft.key).toBe('gone|w-gone');
    expect(draft.summary).toContain(
      'last it said its consumer of emails is closing and its connection is end',
    );
  });
});
