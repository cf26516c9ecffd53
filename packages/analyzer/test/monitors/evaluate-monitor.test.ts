import { describe, expect, it } from 'vitest';
import { evaluateMonitor } from '../../src/monitors/evaluate-monitor.js';
import type { MonitorEvent } from '../../src/monitors/monitor-event.js';
import { at, makeDefinition } from './monitor-factories.js';

const created = at('11:00:00');

function stateAt(events: MonitorEvent[], now: number, definition = makeDefinition()) {
  return evaluateMonitor(definition, { createdAtMs: created, events }, now);
}

describe('evaluateMonitor on a cron schedule (*/5, 1 minute of grace)', () => {
  const success = [{ type: 'success', atMs: at('12:00:00') }] as MonitorEvent[];

  it('stays up until 12:04:59 after a success at 12:00:00', () => {
    expect(stateAt(success, at('12:04:59')).state).toBe('up');
  });

  it('is in grace from 12:05:00', () => {
    const evaluation = stateAt(success, at('12:05:00'));
    expect(evaluation.state).toBe('grace');
    expect(evaluation.stateSinceMs).toBe(at('12:05:00'));
  });

  it('goes down at 12:06:00, stamped at the deadline even when noticed much later', () => {
    expect(stateAt(success, at('12:05:59.999')).state).toBe('grace');
    const evaluation = stateAt(success, at('13:30:00'));
    expect(evaluation.state).toBe('down');
    expect(evaluation.transitions.map((t) => [t.to, new Date(t.atMs).toISOString()])).toEqual([
      ['up', '2026-06-01T12:00:00.000Z'],
      ['grace', '2026-06-01T12:05:00.000Z'],
      ['down', '2026-06-01T12:06:00.000Z'],
    ]);
    expect(evaluation.down).toMatchObject({ reason: 'missed', sinceMs: at('12:06:00') });
  });

  it('still goes down at 12:06:00 after a success at 12:03:30', () => {
    const events = [{ type: 'success', atMs: at('12:03:30') }] as MonitorEvent[];
    expect(stateAt(events, at('12:05:59')).state).toBe('grace');
    const evaluation = stateAt(events, at('12:06:00'));
    expect(evaluation.state).toBe('down');
    expect(evaluation.stateSinceMs).toBe(at('12:06:00'));
  });

  it('goes down at 12:06:10 after a start at 12:05:10 that never succeeds', () => {
    const events = [...success, { type: 'start', atMs: at('12:05:10') }] as MonitorEvent[];
    const running = stateAt(events, at('12:06:09'));
    expect(running.state).toBe('running');
    expect(running.downAtMs).toBe(at('12:06:10'));
    const evaluation = stateAt(events, at('12:07:00'));
    expect(evaluation.state).toBe('down');
    expect(evaluation.down).toMatchObject({ reason: 'runtime', sinceMs: at('12:06:10') });
  });

  it('reports the next expected check-in and the instant it would go down', () => {
    const evaluation = stateAt(success, at('12:01:00'));
    expect(evaluation.nextExpectedMs).toBe(at('12:05:00'));
    expect(evaluation.downAtMs).toBe(at('12:06:00'));
    expect(evaluation.nextChangeMs).toBe(at('12:05:00'));
  });

  it('counts a check-in exactly at the deadline as on time', () => {
    const events = [...success, { type: 'success', atMs: at('12:06:00') }] as MonitorEvent[];
    const evaluation = stateAt(events, at('12:06:30'));
    expect(evaluation.state).toBe('up');
    expect(evaluation.transitions.map((t) => t.to)).toEqual(['up', 'grace', 'up']);
  });
});

describe('evaluateMonitor signals', () => {
  const definition = makeDefinition({ schedule: { kind: 'period', periodSeconds: 60 }, graceSeconds: 10 });

  it('never takes a new monitor down before its first signal', () => {
    const evaluation = stateAt([], at('23:00:00'), definition);
    expect(evaluation.state).toBe('new');
    expect(evaluation.nextChangeMs).toBeUndefined();
  });

  it('counts a period from the last check-in', () => {
    const events = [{ type: 'success', atMs: at('12:00:30') }] as MonitorEvent[];
    expect(stateAt(events, at('12:01:29'), definition).state).toBe('up');
    expect(stateAt(events, at('12:01:30'), definition).state).toBe('grace');
    expect(stateAt(events, at('12:01:40'), definition).state).toBe('down');
  });

  it('takes the monitor down at once on a failure and up again on the next success', () => {
    const events = [
      { type: 'success', atMs: at('12:00:00') },
      { type: 'failure', atMs: at('12:00:20'), exitCode: 3 },
      { type: 'success', atMs: at('12:00:40') },
    ] as MonitorEvent[];
    const evaluation = stateAt(events, at('12:00:50'), definition);
    expect(evaluation.state).toBe('up');
    expect(evaluation.transitions.map((t) => [t.to, t.atMs, t.exitCode])).toEqual([
      ['up', at('12:00:00'), undefined],
      ['down', at('12:00:20'), 3],
      ['up', at('12:00:40'), undefined],
    ]);
  });

  it('pairs starts and ends by run id when two runs overlap', () => {
    const runs = makeDefinition({
      schedule: { kind: 'period', periodSeconds: 60 },
      graceSeconds: 10,
      maxRuntimeSeconds: 30,
    });
    const events = [
      { type: 'start', atMs: at('12:00:00'), runId: 'a' },
      { type: 'start', atMs: at('12:00:10'), runId: 'b' },
      { type: 'success', atMs: at('12:00:20'), runId: 'a' },
    ] as MonitorEvent[];
    const stillRunning = stateAt(events, at('12:00:39'), runs);
    expect(stillRunning.state).toBe('running');
    expect(stillRunning.openRuns.map((r) => r.runId)).toEqual(['b']);
    // Run a ended in time; run b started at 12:00:10 and has 30 seconds.
    const evaluation = stateAt(events, at('12:01:00'), runs);
    expect(evaluation.state).toBe('down');
    expect(evaluation.down).toMatchObject({ reason: 'runtime', runId: 'b', sinceMs: at('12:00:40') });
  });

  it('forgets a run that went overdue once a later run succeeds', () => {
    const runs = makeDefinition({
      schedule: { kind: 'period', periodSeconds: 60 },
      graceSeconds: 10,
      maxRuntimeSeconds: 30,
    });
    const events = [
      { type: 'start', atMs: at('12:00:00'), runId: 'hung' },
      { type: 'start', atMs: at('12:01:00'), runId: 'next' },
      { type: 'success', atMs: at('12:01:10'), runId: 'next' },
    ] as MonitorEvent[];
    const evaluation = stateAt(events, at('12:01:20'), runs);
    expect(evaluation.transitions.map((t) => [t.to, t.atMs])).toEqual([
      ['running', at('12:00:00')],
      ['down', at('12:00:30')],
      ['up', at('12:01:10')],
    ]);
    expect(evaluation.openRuns).toEqual([]);
  });

  it('ignores a start that arrives after its run already ended', () => {
    const events = [
      { type: 'success', atMs: at('12:00:20'), runId: 'r1' },
      { type: 'start', atMs: at('12:00:25'), runId: 'r1' },
    ] as MonitorEvent[];
    expect(stateAt(events, at('12:01:00'), definition).state).toBe('up');
  });

  it('waits for N consecutive failures before going down when a threshold is set', () => {
    const threshold = makeDefinition({
      schedule: { kind: 'period', periodSeconds: 60 },
      graceSeconds: 10,
      failureThreshold: 3,
    });
    const failures = [1, 2, 3].map((n) => ({ type: 'failure', atMs: at(`12:0${n}:00`) })) as MonitorEvent[];
    expect(stateAt(failures.slice(0, 2), at('12:02:30'), threshold).state).toBe('up');
    const evaluation = stateAt(failures, at('12:03:01'), threshold);
    expect(evaluation.state).toBe('down');
    expect(evaluation.stateSinceMs).toBe(at('12:03:00'));
  });

  it('starts the failure count again after a success', () => {
    const threshold = makeDefinition({
      schedule: { kind: 'period', periodSeconds: 60 },
      graceSeconds: 10,
      failureThreshold: 2,
    });
    const events = [
      { type: 'failure', atMs: at('12:00:00') },
      { type: 'success', atMs: at('12:00:30') },
      { type: 'failure', atMs: at('12:01:00') },
    ] as MonitorEvent[];
    expect(stateAt(events, at('12:01:05'), threshold).state).toBe('up');
  });
});

describe('evaluateMonitor pauses', () => {
  const definition = makeDefinition({ schedule: { kind: 'period', periodSeconds: 60 }, graceSeconds: 10 });

  it('ignores time while paused and waits for a new signal after resuming', () => {
    const events = [
      { type: 'success', atMs: at('12:00:00') },
      { type: 'pause', atMs: at('12:00:30') },
      { type: 'resume', atMs: at('12:30:00') },
    ] as MonitorEvent[];
    const paused = stateAt(events.slice(0, 2), at('12:29:00'), definition);
    expect(paused.state).toBe('paused');
    expect(paused.nextChangeMs).toBeUndefined();
    const resumed = stateAt(events, at('13:00:00'), definition);
    expect(resumed.state).toBe('new');
    expect(resumed.transitions.map((t) => t.to)).toEqual(['up', 'paused', 'new']);
  });

  it('keeps signals that arrive while paused from changing anything', () => {
    const events = [
      { type: 'pause', atMs: at('12:00:00') },
      { type: 'failure', atMs: at('12:00:10') },
    ] as MonitorEvent[];
    expect(stateAt(events, at('12:05:00'), definition).state).toBe('paused');
  });
});

describe('evaluateMonitor maintenance windows', () => {
  it('moves a deadline inside a recurring window to the window end', () => {
    const definition = makeDefinition({
      maintenanceWindows: [{ kind: 'recurring', cron: '0 12 * * *', timeZone: 'UTC', durationSeconds: 1800 }],
    });
    const events = [{ type: 'success', atMs: at('11:58:00') }] as MonitorEvent[];
    // Due 12:00, down at 12:01 without maintenance; the window keeps it in grace until 12:30.
    expect(stateAt(events, at('12:29:59'), definition).state).toBe('grace');
    const evaluation = stateAt(events, at('12:45:00'), definition);
    expect(evaluation.state).toBe('down');
    expect(evaluation.stateSinceMs).toBe(at('12:30:00'));
  });

  it('does not go down on a failure inside a fixed window', () => {
    const definition = makeDefinition({
      maintenanceWindows: [{ kind: 'fixed', startsAtMs: at('12:00:00'), endsAtMs: at('12:10:00') }],
    });
    const events = [
      { type: 'success', atMs: at('11:59:00') },
      { type: 'failure', atMs: at('12:02:00') },
    ] as MonitorEvent[];
    expect(stateAt(events, at('12:03:00'), definition).state).toBe('up');
  });
});

describe('evaluateMonitor with a cursor', () => {
  it('gives the same answer evaluated step by step as all at once', () => {
    const definition = makeDefinition();
    const events = [
      { type: 'success', atMs: at('12:00:00') },
      { type: 'start', atMs: at('12:05:10'), runId: 'x' },
      { type: 'success', atMs: at('12:05:40'), runId: 'x' },
    ] as MonitorEvent[];
    const whole = stateAt(events, at('12:20:00'));
    let cursor = stateAt([], at('11:59:00')).cursor;
    const transitions = [];
    for (const [event, now] of [
      [events[0], at('12:03:00')],
      [events[1], at('12:05:20')],
      [events[2], at('12:06:00')],
    ] as const) {
      const step = evaluateMonitor(definition, { cursor, events: [event] }, now);
      transitions.push(...step.transitions);
      cursor = step.cursor;
    }
    const last = evaluateMonitor(definition, { cursor, events: [] }, at('12:20:00'));
    transitions.push(...last.transitions);
    expect(last.state).toBe(whole.state);
    expect(transitions).toEqual(whole.transitions);
  });
});
