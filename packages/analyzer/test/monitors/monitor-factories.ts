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
