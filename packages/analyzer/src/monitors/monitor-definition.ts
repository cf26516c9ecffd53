/**
 * What a monitor is: one piece of scheduled work, the schedule it keeps and how much slack it gets.
 * Definitions come from the config file and from `POST/PUT /api/monitors`; `parse-monitor-definition.ts`
 * turns either into this shape.
 */

/** Every `periodSeconds`, measured from the last check-in. */
interface PeriodSchedule {
  kind: 'period';
  periodSeconds: number;
}

/** A cron expression (5 fields, or 6 with seconds first) read in an IANA time zone. */
interface CronSchedule {
  kind: 'cron';
  cron: string;
  /** IANA name, e.g. `Europe/Berlin`. Default `UTC`. */
  timeZone: string;
}

export type MonitorSchedule = PeriodSchedule | CronSchedule;

/** A recurring window: opens at each cron time and stays open `durationSeconds`. */
interface RecurringMaintenanceWindow {
  kind: 'recurring';
  cron: string;
  timeZone: string;
  durationSeconds: number;
}

/** A one-off window between two instants (unix ms). */
interface FixedMaintenanceWindow {
  kind: 'fixed';
  startsAtMs: number;
  endsAtMs: number;
}

export type MaintenanceWindow = RecurringMaintenanceWindow | FixedMaintenanceWindow;

export interface MonitorDefinition {
  /** Pattern `[a-z0-9][a-z0-9_-]{0,63}`; names the monitor in URLs, metrics and findings. */
  slug: string;
  /** For people. Default: the slug. */
  name: string;
  /** With `jobName`: attempts of this service's job check in. Optional: any service. */
  service?: string;
  /** Attempts with this job name (and `service`, when set) check in without naming the slug. */
  jobName?: string;
  schedule: MonitorSchedule;
  /** Slack after each expected check-in before the monitor goes down. Default 3600, as Healthchecks.io. */
  graceSeconds: number;
  /** A run (start without end) longer than this takes the monitor down. Default: the grace time. */
  maxRuntimeSeconds?: number;
  /** Consecutive failures before `down`. Default 1. */
  failureThreshold: number;
  /** Deadlines falling inside a window move to its end; failures inside one do not take the monitor down. */
  maintenanceWindows: MaintenanceWindow[];
}

const MONITOR_STATES = ['new', 'up', 'grace', 'down', 'paused', 'running'] as const;
export type MonitorState = (typeof MONITOR_STATES)[number];

export const SLUG_PATTERN = /^[a-z0-9][a-z0-9_-]{0,63}$/;

export const DEFAULT_GRACE_SECONDS = 3600;
/** Period of monitors created by their first ping (`monitors.autoCreate`): one day, as Healthchecks.io. */
export const DEFAULT_AUTO_CREATE_PERIOD_SECONDS = 86_400;
