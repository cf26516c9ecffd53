import {
  makeAttemptSpan,
  makeHeartbeatPoint,
  makeOldestReadyAgePoint,
  makeResource,
} from '@joblens/test-utils';
import { describe, expect, it } from 'vitest';
import { DetectorRegistry, registerDetector } from '../../src/detectors/detector-registry.js';
import { hostImbalanceDetector } from '../../src/detectors/host-imbalance.js';
import { DetectorRunner } from '../../src/findings/detector-runner.js';
import type { Finding } from '../../src/findings/finding.js';
import { TelemetryModel } from '../../src/model/telemetry-model.js';

const T0 = 1_700_000_000_000;

/**
 * The demo's invoice queue: billing-1 takes about 80% of the jobs of three workers, all the time, while
 * the backlog's oldest job reads 0.4 s at one poll and 2.5 s at the next as the queue drains and refills.
 */
function evaluateImbalance(
  minutes: number,
  ageAt: (second: number) => number,
): { ids: Set<string>; transitions: string[] } {
  const clock = { now: T0 };
  const model = new TelemetryModel({ clock: () => clock.now });
  const workers = [1, 2, 3].map((n) =>
    makeResource({ service: 'billing', worker: `billing-${n}`, host: `billing-${n}` }),
  );
  // The hold time is off: this is about the detector's own view of one unchanged imbalance.
  const runner = new DetectorRunner({
    registry: new DetectorRegistry([registerDetector(hostImbalanceDetector)]),
    overrides: { host_imbalance: { windowSeconds: 60, waitingAgeSeconds: 1, reopenWithinSeconds: 0 } },
  });
  const open = new Map<string, Finding>();
  const ids = new Set<string>();
  const transitions: string[] = [];
  for (let second = 1; second <= minutes * 60; second++) {
    clock.now = T0 + second * 1_000;
    const taker = second % 5 === 0 ? workers[1 + (second % 2)] : workers[0];
    model.ingestSpans([
      makeAttemptSpan({ resource: taker, queue: 'invoices', startMs: clock.now - 400, durationMs: 300 }),
    ]);
    model.ingestMetrics([
      ...workers.map((resource) => makeHeartbeatPoint({ resource, timeMs: clock.now, count: second })),
      makeOldestReadyAgePoint({
        resource: workers[0],
        timeMs: clock.now,
        queue: 'invoices',
        ageSeconds: ageAt(second),
      }),
    ]);
    const result = runner.run(model, [...open.values()], clock.now);
    for (const finding of result.findings) {
      ids.add(finding.id);
      if (finding.status === 'open') open.set(finding.id, finding);
      else open.delete(finding.id);
    }
    transitions.push(...result.transitions.map((t) => `${t.from}->${t.to}`));
  }
  return { ids, transitions };
}

describe('host_imbalance over an unchanged imbalance', () => {
  it('reports it once for ten minutes while the backlog reading flickers between polls', () => {
    const { ids, transitions } = evaluateImbalance(10, (second) => (second % 2 === 0 ? 2.5 : 0.4));
    expect(ids.size).toBe(1);
    expect(transitions).toEqual(['null->open']);
  });

  it('resolves it once the backlog stays drained for most of the window', () => {
    const { ids, transitions } = evaluateImbalance(5, (second) => (second > 180 ? 0 : 2.5));
    expect(ids.size).toBe(1);
    expect(transitions).toEqual(['null->open', 'open->resolved']);
  });
});
