import type { MonitorDefinition } from '../../src/monitors/monitor-definition.js';

/** A monitor definition with test defaults: cron every 5 minutes in UTC, 1 minute of grace. */
export function makeDefinition(overrides: Partial<MonitorDefinition> = {}): MonitorDefinition {
  return {
    slug: 'nightly-report',
    name: 'nightly-report',
    schedule: { kind: 'cron', cron: '*/5 * * * *', timeZone: 'UTC' },
    graceSeconds: 60,
    failureThreshold: 1,
    maintenanceWindows: [],
    ...overrides,
  };
}

/** Unix ms of a UTC wall-clock time on 2026-06-01, e.g. `at('12:05:10')`. */
export function at(time: string, date = '2026-06-01'): number {
  return Date.parse(`${date}T${time}Z`);
}

/** `GET /api/monitors/:slug`, as the tests read it. */
export interface MonitorDetailBody {
  monitor: {
    slug: string;
    state: string;
    stateSinceMs: number;
    lastCheckInMs: number | null;
    nextExpectedMs: number | null;
    nextDeadlineMs: number | null;
    down: { reason: string; sinceMs: number; exitCode?: number; runId?: string } | null;
    origin: string;
    schedule: string;
  };
  transitions: Array<{
    atMs: number;
    from: string;
    to: string;
    reason: string;
    runId: string | null;
    exitCode: number | null;
  }>;
  pings: Array<{
    type: string;
    atMs: number;
    runId?: string;
    exitCode?: number;
    source: string;
    body: string | null;
  }>;
}
