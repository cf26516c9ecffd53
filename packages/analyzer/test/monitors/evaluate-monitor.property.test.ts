import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { evaluateMonitor, type MonitorTransition } from '../../src/monitors/evaluate-monitor.js';
import type { MonitorDefinition } from '../../src/monitors/monitor-definition.js';
import type { MonitorEvent } from '../../src/monitors/monitor-event.js';
import { at, makeDefinition } from './monitor-factories.js';

const origin = at('12:00:00');
const HOURS_MS = 2 * 3600_000;

const definitionArb: fc.Arbitrary<MonitorDefinition> = fc
  .record({
    schedule: fc.oneof(
      fc.record({ kind: fc.constant('period' as const), periodSeconds: fc.integer({ min: 30, max: 1800 }) }),
      fc.record({
        kind: fc.constant('cron' as const),
        cron: fc.constantFrom('*/5 * * * *', '0 * * * *', '*/30 * * * * *'),
        timeZone: fc.constantFrom('UTC', 'Europe/Berlin'),
      }),
    ),
    graceSeconds: fc.integer({ min: 0, max: 600 }),
    maxRuntimeSeconds: fc.option(fc.integer({ min: 10, max: 900 }), { nil: undefined }),
    failureThreshold: fc.integer({ min: 1, max: 3 }),
  })
  .map((fields) => makeDefinition(fields));

const eventArb: fc.Arbitrary<MonitorEvent> = fc
  .record({
    type: fc.constantFrom('start', 'success', 'failure', 'retry', 'pause', 'resume', 'success', 'start'),
    offsetMs: fc.integer({ min: 0, max: HOURS_MS }),
    runId: fc.constantFrom(undefined, 'a', 'b', 'c'),
  })
  .map(({ type, offsetMs, runId }) => {
    const atMs = origin + offsetMs;
    if (type === 'pause' || type === 'resume') return { type, atMs };
    return runId === undefined ? { type, atMs } : { type, atMs, runId };
  }) as fc.Arbitrary<MonitorEvent>;

describe('evaluateMonitor, for any schedule and signals', () => {
  it('gives the same transitions evaluated event by event (as the service does) as all at once', () => {
    fc.assert(
      fc.property(definitionArb, fc.array(eventArb, { maxLength: 25 }), (definition, unsorted) => {
        const events = [...unsorted].sort((a, b) => a.atMs - b.atMs);
        const end = origin + HOURS_MS + 3600_000;
        const whole = evaluateMonitor(definition, { createdAtMs: origin, events }, end);
        let cursor = evaluateMonitor(definition, { createdAtMs: origin, events: [] }, origin).cursor;
        const stepwise: MonitorTransition[] = [];
        for (const event of events) {
          const step = evaluateMonitor(definition, { cursor, events: [event] }, event.atMs);
          stepwise.push(...step.transitions);
          cursor = step.cursor;
        }
        const last = evaluateMonitor(definition, { cursor, events: [] }, end);
        stepwise.push(...last.transitions);
        expect(stepwise).toEqual(whole.transitions);
        expect(last.state).toBe(whole.state);
      }),
      { numRuns: 200 },
    );
  });

  it('chains transitions in time order, each from the state the previous one left', () => {
    fc.assert(
      fc.property(definitionArb, fc.array(eventArb, { maxLength: 25 }), (definition, events) => {
        const evaluation = evaluateMonitor(
          definition,
          { createdAtMs: origin, events },
          origin + HOURS_MS + 3600_000,
        );
        let state = 'new';
        let time = origin;
        for (const t of evaluation.transitions) {
          expect(t.from).toBe(state);
          expect(t.to).not.toBe(t.from);
          expect(t.atMs).toBeGreaterThanOrEqual(time);
          state = t.to;
          time = t.atMs;
        }
        expect(evaluation.state).toBe(state);
      }),
      { numRuns: 200 },
    );
  });
});
