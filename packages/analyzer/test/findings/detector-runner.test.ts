import { makeAttemptSpan, makeJobLog } from '@joblens/test-utils';
import { describe, expect, it } from 'vitest';
import { builtInDetectors } from '../../src/detectors/built-in-detectors.js';
import type { Detector } from '../../src/detectors/detector.js';
import { DetectorRegistry, registerDetector } from '../../src/detectors/detector-registry.js';
import { silentJobDetector } from '../../src/detectors/silent-job.js';
import { DetectorRunner } from '../../src/findings/detector-runner.js';
import type { Finding } from '../../src/findings/finding.js';
import { MemoryLogger } from '../../src/log/logger.js';
import { TelemetryModel } from '../../src/model/telemetry-model.js';

const T0 = 1_700_000_000_000;

const throwing: Detector<{ unused: number }> = {
  type: 'retry_storm',
  defaults: { unused: 1 },
  evaluate() {
    throw new Error('boom');
  },
};

function modelWithSilentJob(now: number): TelemetryModel {
  const model = new TelemetryModel({ clock: () => now });
  const attempt = makeAttemptSpan({ jobId: 'hung', startMs: T0 });
  model.ingestLogs([makeJobLog({ kind: 'started', attempt, timeMs: T0 })]);
  return model;
}

describe('DetectorRunner', () => {
  it('goes on with the other detectors when one throws, logging it once and counting each failure', () => {
    const logger = new MemoryLogger();
    const runner = new DetectorRunner({
      registry: new DetectorRegistry([registerDetector(throwing), registerDetector(silentJobDetector)]),
      logger,
    });
    const now = T0 + 60_000;
    const model = modelWithSilentJob(now);
    const first = runner.run(model, [], now);
    const second = runner.run(model, first.findings, now + 1_000);
    expect(first.findings.map((finding) => finding.type)).toEqual(['silent_job']);
    expect(first.transitions).toHaveLength(1);
    expect(first.failedTypes).toEqual(['retry_storm']);
    expect(second.transitions).toEqual([]);
    expect(logger.lines).toEqual([{ level: 'warn', text: 'detector retry_storm failed: boom' }]);
    const stats = runner.stats();
    expect(stats.find((s) => s.type === 'retry_storm')).toMatchObject({ errors: 2, evaluations: 2 });
    expect(stats.find((s) => s.type === 'silent_job')).toMatchObject({
      errors: 0,
      evaluations: 2,
      lastDrafts: 1,
    });
    expect(stats.every((s) => s.evaluationSeconds >= 0 && Number.isFinite(s.evaluationSeconds))).toBe(true);
  });

  it("keeps a failing detector's open findings and other sources' findings open", () => {
    const runner = new DetectorRunner({
      registry: new DetectorRegistry([registerDetector(throwing), registerDetector(silentJobDetector)]),
      logger: new MemoryLogger(),
    });
    const now = T0 + 60_000;
    const stale = (type: Finding['type'], id: string): Finding => ({
      type,
      key: id,
      id,
      severity: 'warning',
      subject: {},
      summary: id,
      nextStep: '',
      evidence: { figures: {}, traces: [] },
      since: T0,
      status: 'open',
      firstSeen: T0,
      lastSeen: T0,
    });
    const open = [
      stale('retry_storm', 'storm-1'),
      stale('missed_heartbeat', 'monitor-1'),
      stale('silent_job', 'old-job'),
    ];
    const result = runner.run(new TelemetryModel({ clock: () => now }), open, now);
    expect(result.findings.map((finding) => [finding.id, finding.status])).toEqual([['old-job', 'resolved']]);
  });

  it('applies overrides by name and rejects unknown ones naming them', () => {
    const now = T0 + 20_000;
    const model = modelWithSilentJob(now);
    const strict = new DetectorRunner({
      registry: new DetectorRegistry([registerDetector(silentJobDetector)]),
      overrides: { silent_job: { silenceThresholdSeconds: 10 } },
    });
    expect(strict.run(model, [], now).findings).toHaveLength(1);
    const lenient = new DetectorRunner({
      registry: new DetectorRegistry([registerDetector(silentJobDetector)]),
    });
    expect(lenient.run(model, [], now).findings).toHaveLength(0);
    expect(
      () =>
        new DetectorRunner({ registry: builtInDetectors, overrides: { silent_job: { silenceSeconds: 3 } } }),
    ).toThrow(/detectors\.silent_job\.silenceSeconds: unknown option/);
    expect(
      () =>
        new DetectorRunner({
          registry: builtInDetectors,
          overrides: { silent_job: { silenceThresholdSeconds: -1 } },
        }),
    ).toThrow(/detectors\.silent_job\.silenceThresholdSeconds: expected a finite number >= 0, got -1/);
    expect(() => new DetectorRunner({ registry: builtInDetectors, overrides: { nope: {} } })).toThrow(
      /detectors\.nope: unknown detector/,
    );
  });

  it('reopens a flapping finding under its old id within the hold time set for its detector', () => {
    let holds = true;
    const flapping: Detector<{ unused: number }> = {
      type: 'host_imbalance',
      defaults: { unused: 1 },
      evaluate: () =>
        holds
          ? [
              {
                type: 'host_imbalance',
                key: 'share|worker|shop|emails',
                severity: 'warning',
                subject: { service: 'shop', queue: 'emails' },
                summary: 'w1 takes 80% of emails',
                nextStep: '',
                evidence: { figures: {}, traces: [] },
                since: T0,
              },
            ]
          : [],
    };
    const runner = new DetectorRunner({
      registry: new DetectorRegistry([registerDetector(flapping)]),
      overrides: { host_imbalance: { reopenWithinSeconds: 120 } },
    });
    const model = new TelemetryModel({ clock: () => T0 });
    const open = new Map<string, Finding>();
    const transitions: string[] = [];
    const evaluate = (atMs: number) => {
      const result = runner.run(model, [...open.values()], atMs);
      for (const finding of result.findings) {
        if (finding.status === 'open') open.set(finding.id, finding);
        else open.delete(finding.id);
      }
      transitions.push(...result.transitions.map((t) => `${t.findingId} ${t.from}->${t.to}`));
    };
    evaluate(T0);
    const [id] = open.keys();
    holds = false;
    evaluate(T0 + 1_000);
    holds = true;
    evaluate(T0 + 100_000);
    holds = false;
    evaluate(T0 + 101_000);
    holds = true;
    evaluate(T0 + 101_000 + 121_000);
    const [later] = open.keys();
    expect(transitions).toEqual([
      `${id} null->open`,
      `${id} open->resolved`,
      `${id} resolved->open`,
      `${id} open->resolved`,
      `${later} null->open`,
    ]);
    expect(later).not.toBe(id);
    expect(
      () =>
        new DetectorRunner({
          registry: builtInDetectors,
          overrides: { silent_job: { reopenWithinSeconds: -5 } },
        }),
    ).toThrow(/detectors\.silent_job\.reopenWithinSeconds: expected a finite number >= 0, got -5/);
  });
});
