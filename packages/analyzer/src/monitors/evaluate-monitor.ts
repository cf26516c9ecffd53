import { deferPastMaintenance, inMaintenance } from './maintenance-windows.js';
import { type DownReason, initialCursor, type MonitorCursor, type OpenRun } from './monitor-cursor.js';
import type { MonitorDefinition, MonitorState } from './monitor-definition.js';
import type { MonitorEvent } from './monitor-event.js';
import { nextScheduleTime } from './next-schedule-time.js';

export interface MonitorTransition {
  /** Unix ms: the instant the change happened (a deadline, a signal), not when it was noticed. */
  atMs: number;
  from: MonitorState;
  to: MonitorState;
  /** The event type (`start`, `success`, `failure`, `retry`, `pause`, `resume`) or deadline (`grace`, `missed`, `runtime`). */
  reason: string;
  runId?: string;
  exitCode?: number;
}

export interface MonitorHistory {
  /** Where the previous evaluation stopped; absent for a monitor evaluated from its creation. */
  cursor?: MonitorCursor;
  /** When the monitor was created (used without a cursor). Default: the first event, else `now`. */
  createdAtMs?: number;
  /** Events after the cursor, any order; earlier ones count as happening at the cursor. */
  events: readonly MonitorEvent[];
}

interface RunView {
  runId: string;
  startedMs: number;
  deadlineMs: number;
  overdue: boolean;
}

export interface MonitorEvaluation {
  state: MonitorState;
  stateSinceMs: number;
  transitions: MonitorTransition[];
  /** Carry on from here next time. */
  cursor: MonitorCursor;
  lastCheckInMs?: number;
  /** The next expected check-in, when the schedule is waiting for one. */
  nextExpectedMs?: number;
  /** When the monitor goes down unless a signal comes first (a missed check-in or a run past its maximum). */
  downAtMs?: number;
  /** The next instant time alone changes the state: wake up then. */
  nextChangeMs?: number;
  down?: MonitorCursor['down'];
  openRuns: RunView[];
}

/** Maximum open runs kept: starts that never end (a crashing cron host) must not grow without bound. */
const MAX_OPEN_RUNS = 100;
const MAX_CLOSED_RUN_IDS = 256;

interface TimeChange {
  atMs: number;
  kind: 'grace' | 'missed' | 'runtime';
  runId?: string;
}

/**
 * The monitor's state at `now`, and every change on the way there with its exact instant. Pure: the
 * same definition, history and `now` give the same answer, so a restart that spanned a deadline
 * stamps the change at the deadline, and tests drive it with any clock.
 */
export function evaluateMonitor(
  definition: MonitorDefinition,
  history: MonitorHistory,
  now: number,
): MonitorEvaluation {
  const start =
    history.cursor?.atMs ?? history.createdAtMs ?? Math.min(now, ...history.events.map((e) => e.atMs));
  const cursor = structuredClone(history.cursor ?? initialCursor(start));
  const events = [...history.events].sort((a, b) => a.atMs - b.atMs);
  const transitions: MonitorTransition[] = [];
  const record = (atMs: number, reason: string, extra: Partial<MonitorTransition> = {}) => {
    const to = displayState(definition, cursor, atMs);
    if (to !== cursor.state) {
      transitions.push({ atMs, from: cursor.state, to, reason, ...extra });
      cursor.state = to;
      cursor.stateSinceMs = atMs;
    }
  };

  let i = 0;
  for (;;) {
    const event = events[i];
    const eventAt = event === undefined ? undefined : Math.min(Math.max(event.atMs, cursor.atMs), now);
    const change = nextTimeChange(definition, cursor);
    const changeAt = change === undefined ? undefined : Math.max(change.atMs, cursor.atMs);
    // At a tie the signal wins: a check-in at the very deadline is on time.
    if (changeAt !== undefined && changeAt <= now && (eventAt === undefined || changeAt < eventAt)) {
      cursor.atMs = changeAt;
      applyTimeChange(cursor, change as TimeChange, changeAt);
      record(changeAt, (change as TimeChange).kind, change?.runId ? { runId: change.runId } : {});
    } else if (event !== undefined && eventAt !== undefined) {
      cursor.atMs = eventAt;
      applyEvent(definition, cursor, event, eventAt);
      const extra: Partial<MonitorTransition> = {};
      if ('runId' in event && event.runId) extra.runId = event.runId;
      if (event.type === 'failure' && event.exitCode !== undefined) extra.exitCode = event.exitCode;
      record(eventAt, event.type, extra);
      i++;
    } else {
      break;
    }
  }
  cursor.atMs = Math.max(cursor.atMs, now);
  return describe(definition, cursor, transitions);
}

function maxRuntimeMs(definition: MonitorDefinition): number {
  return (definition.maxRuntimeSeconds ?? definition.graceSeconds) * 1000;
}

function runningRuns(cursor: MonitorCursor): OpenRun[] {
  return cursor.openRuns.filter((run) => !run.overdue);
}

function displayState(definition: MonitorDefinition, cursor: MonitorCursor, atMs: number): MonitorState {
  if (cursor.paused) return 'paused';
  if (!cursor.checkedIn) return 'new';
  if (cursor.down) return 'down';
  if (runningRuns(cursor).length > 0) return 'running';
  const expected =
    cursor.lastCheckInMs === undefined
      ? undefined
      : nextScheduleTime(definition.schedule, cursor.lastCheckInMs);
  return expected !== undefined && atMs >= expected ? 'grace' : 'up';
}

/** The next instant at which time alone changes the state, or undefined when only a signal can. */
function nextTimeChange(definition: MonitorDefinition, cursor: MonitorCursor): TimeChange | undefined {
  if (cursor.paused || !cursor.checkedIn || cursor.down) return undefined;
  const windows = definition.maintenanceWindows;
  const running = runningRuns(cursor);
  if (running.length > 0) {
    // While work runs, the run's own deadline replaces the schedule's (as Healthchecks.io does).
    const first = running.reduce((a, b) => (a.startedMs <= b.startedMs ? a : b));
    return {
      atMs: deferPastMaintenance(windows, first.startedMs + maxRuntimeMs(definition)),
      kind: 'runtime',
      runId: first.runId,
    };
  }
  if (cursor.lastCheckInMs === undefined) return undefined;
  const expected = nextScheduleTime(definition.schedule, cursor.lastCheckInMs);
  if (expected === undefined) return undefined;
  const downAt = deferPastMaintenance(windows, expected + definition.graceSeconds * 1000);
  if (cursor.state !== 'grace' && expected < downAt) return { atMs: expected, kind: 'grace' };
  return { atMs: downAt, kind: 'missed' };
}

function applyTimeChange(cursor: MonitorCursor, change: TimeChange, atMs: number): void {
  if (change.kind === 'grace') return;
  if (change.kind === 'runtime') {
    const run = cursor.openRuns.find((r) => r.runId === change.runId && !r.overdue);
    if (run) run.overdue = true;
    goDown(cursor, 'runtime', atMs, { runId: change.runId || undefined });
    return;
  }
  goDown(cursor, 'missed', atMs);
}

function goDown(
  cursor: MonitorCursor,
  reason: DownReason,
  atMs: number,
  extra: { runId?: string; exitCode?: number } = {},
): void {
  // Already down: the first cause and its instant stand until a success.
  if (cursor.down) return;
  cursor.down = { reason, sinceMs: atMs };
  if (extra.runId) cursor.down.runId = extra.runId;
  if (extra.exitCode !== undefined) cursor.down.exitCode = extra.exitCode;
}

function applyEvent(
  definition: MonitorDefinition,
  cursor: MonitorCursor,
  event: MonitorEvent,
  atMs: number,
): void {
  if (event.type === 'pause') {
    cursor.paused = true;
    return;
  }
  if (event.type === 'resume') {
    if (!cursor.paused) return;
    // As Healthchecks.io: a resumed monitor starts afresh and waits for its next signal before any deadline.
    Object.assign(cursor, {
      paused: false,
      checkedIn: false,
      down: undefined,
      openRuns: [],
      consecutiveFailures: 0,
    });
    return;
  }
  // Paused means muted: signals are kept as pings but change nothing.
  if (cursor.paused) return;
  const runId = event.runId ?? '';
  if (runId !== '' && cursor.closedRunIds.includes(runId)) return;
  cursor.checkedIn = true;
  if (event.type === 'start') {
    cursor.openRuns = cursor.openRuns.filter((run) => run.runId !== runId);
    cursor.openRuns.push({ runId, startedMs: atMs, overdue: false });
    if (cursor.openRuns.length > MAX_OPEN_RUNS) cursor.openRuns.shift();
    cursor.lastCheckInMs = atMs;
    return;
  }
  closeRun(cursor, runId);
  if (event.type === 'retry') return;
  if (event.type === 'success') {
    cursor.lastCheckInMs = atMs;
    cursor.lastSuccessMs = atMs;
    cursor.consecutiveFailures = 0;
    cursor.down = undefined;
    // Overdue runs already took the monitor down once; after a success they are history, not work in flight.
    cursor.openRuns = cursor.openRuns.filter((run) => !run.overdue);
    return;
  }
  cursor.lastFailureMs = atMs;
  cursor.consecutiveFailures++;
  const counts = !inMaintenance(definition.maintenanceWindows, atMs);
  if (counts && cursor.consecutiveFailures >= definition.failureThreshold) {
    goDown(cursor, 'failed', atMs, { runId: event.runId, exitCode: event.exitCode });
  } else {
    // Below the threshold (or in maintenance) the work did run on time; only its failures are counted.
    cursor.lastCheckInMs = atMs;
  }
}

function closeRun(cursor: MonitorCursor, runId: string): void {
  cursor.openRuns = cursor.openRuns.filter((run) => run.runId !== runId);
  if (runId === '') return;
  cursor.closedRunIds.push(runId);
  if (cursor.closedRunIds.length > MAX_CLOSED_RUN_IDS) cursor.closedRunIds.shift();
}

function describe(
  definition: MonitorDefinition,
  cursor: MonitorCursor,
  transitions: MonitorTransition[],
): MonitorEvaluation {
  const change = nextTimeChange(definition, cursor);
  const waiting = !cursor.paused && cursor.checkedIn && !cursor.down && runningRuns(cursor).length === 0;
  const nextExpectedMs =
    waiting && cursor.lastCheckInMs !== undefined
      ? nextScheduleTime(definition.schedule, cursor.lastCheckInMs)
      : undefined;
  let downAtMs: number | undefined;
  if (change?.kind === 'missed' || change?.kind === 'runtime') downAtMs = change.atMs;
  else if (change?.kind === 'grace' && nextExpectedMs !== undefined)
    downAtMs = deferPastMaintenance(
      definition.maintenanceWindows,
      nextExpectedMs + definition.graceSeconds * 1000,
    );
  const evaluation: MonitorEvaluation = {
    state: cursor.state,
    stateSinceMs: cursor.stateSinceMs,
    transitions,
    cursor,
    openRuns: cursor.openRuns.map((run) => ({
      runId: run.runId,
      startedMs: run.startedMs,
      deadlineMs: run.startedMs + maxRuntimeMs(definition),
      overdue: run.overdue,
    })),
  };
  if (cursor.lastCheckInMs !== undefined) evaluation.lastCheckInMs = cursor.lastCheckInMs;
  if (nextExpectedMs !== undefined) evaluation.nextExpectedMs = nextExpectedMs;
  if (downAtMs !== undefined) evaluation.downAtMs = downAtMs;
  if (change !== undefined) evaluation.nextChangeMs = Math.max(change.atMs, cursor.atMs);
  if (cursor.down) evaluation.down = cursor.down;
  return evaluation;
}
