import type { MonitorState } from './monitor-definition.js';

/** Why a monitor is down: a check-in came too late, a run outlasted its maximum, or work reported failure. */
export type DownReason = 'missed' | 'runtime' | 'failed';

export interface OpenRun {
  /** '' for an anonymous run. */
  runId: string;
  startedMs: number;
  /** Past its maximum runtime: it took the monitor down once and does not count as running any more. */
  overdue: boolean;
}

/**
 * Everything `evaluateMonitor` needs to carry on from `atMs` without the events before it. The
 * service stores one per monitor, so evaluation stays O(new events) however long a monitor lives.
 * Deadlines are not stored: they follow from these facts and the (possibly edited) definition.
 */
export interface MonitorCursor {
  atMs: number;
  state: MonitorState;
  stateSinceMs: number;
  paused: boolean;
  /** A signal arrived since the monitor was created or last resumed; until then it stays `new`. */
  checkedIn: boolean;
  /** The last start or success (or failure below the threshold): the next expected time counts from it. */
  lastCheckInMs?: number;
  lastSuccessMs?: number;
  lastFailureMs?: number;
  down?: { reason: DownReason; sinceMs: number; runId?: string; exitCode?: number };
  openRuns: OpenRun[];
  /** Recently ended run ids: a start or end arriving after its run ended (telemetry reorders) is a duplicate. */
  closedRunIds: string[];
  consecutiveFailures: number;
}

export function initialCursor(atMs: number): MonitorCursor {
  return {
    atMs,
    state: 'new',
    stateSinceMs: atMs,
    paused: false,
    checkedIn: false,
    openRuns: [],
    closedRunIds: [],
    consecutiveFailures: 0,
  };
}
