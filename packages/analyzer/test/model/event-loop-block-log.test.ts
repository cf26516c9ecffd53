import { ATTR_EVENT_LOOP_BLOCKED_STACK, LOG_EVENT_LOOP_RECOVERED } from '@joblens/semconv';
import { makeEventLoopBlockedLog, makeResource } from '@joblens/test-utils';
import { describe, expect, it } from 'vitest';
import { TelemetryModel } from '../../src/model/telemetry-model.js';

const T0 = 1_700_000_000_000;

describe('the event-loop block log', () => {
  it('keeps the stack the watchdog sent, innermost frame first', () => {
    const model = new TelemetryModel({ clock: () => T0 });
    const stack = ['layoutPage (src/render.js:42:7)', 'run (node:async_hooks:346:14)'];
    model.ingestLogs([makeEventLoopBlockedLog({ resource: makeResource(), timeMs: T0, stack })]);
    expect([...model.eventLoopBlocks(0)].map((block) => block.stack)).toEqual([stack]);
  });

  it("bounds a sender's stack to 20 frames of 500 characters and skips what is not text", () => {
    const model = new TelemetryModel({ clock: () => T0 });
    const log = makeEventLoopBlockedLog({ resource: makeResource(), timeMs: T0 });
    log.attributes[ATTR_EVENT_LOOP_BLOCKED_STACK] = [
      42,
      'x'.repeat(2000),
      ...Array.from({ length: 30 }, (_, i) => `f${i} (a.js:1:1)`),
    ];
    model.ingestLogs([log]);
    const [block] = [...model.eventLoopBlocks(0)];
    expect(block.stack).toHaveLength(20);
    expect(block.stack?.[0]).toBe('x'.repeat(500));
    expect(block.stack?.[1]).toBe('f0 (a.js:1:1)');
  });

  it('has no stack when the record carries none, or not as an array', () => {
    const model = new TelemetryModel({ clock: () => T0 });
    const log = makeEventLoopBlockedLog({ resource: makeResource({ worker: 'w-2' }), timeMs: T0 + 1 });
    log.attributes[ATTR_EVENT_LOOP_BLOCKED_STACK] = 'layoutPage (src/render.js:42:7)';
    model.ingestLogs([makeEventLoopBlockedLog({ resource: makeResource(), timeMs: T0 }), log]);
    expect([...model.eventLoopBlocks(0)].map((block) => block.stack)).toEqual([undefined, undefined]);
  });
});

describe("the event-loop block log's recovery records", () => {
  it('lend their stack to the block reported without one, and keep it when they stand for a lost report', () => {
    const model = new TelemetryModel({ clock: () => T0 + 60_000 });
    const stack = ['layoutPage (src/render.js:42:7)'];
    const reported = makeResource({ worker: 'w-reported' });
    const lost = makeResource({ worker: 'w-lost' });
    const recovery = (resource: typeof reported, timeMs: number) => {
      const log = makeEventLoopBlockedLog({ resource, timeMs, blockedSeconds: 5, stack });
      return { ...log, eventName: LOG_EVENT_LOOP_RECOVERED };
    };
    model.ingestLogs([
      makeEventLoopBlockedLog({ resource: reported, timeMs: T0, blockedSeconds: 1 }),
      recovery(reported, T0 + 4_000),
      recovery(lost, T0 + 4_000),
    ]);
    expect(
      [...model.eventLoopBlocks(0)].map(({ worker, blockedSeconds, stack }) => ({
        worker,
        blockedSeconds,
        stack,
      })),
    ).toEqual([
      { worker: 'w-reported', blockedSeconds: 5, stack },
      { worker: 'w-lost', blockedSeconds: 5, stack },
    ]);
  });
});
