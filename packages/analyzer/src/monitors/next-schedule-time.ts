import { Cron } from 'croner';
import type { MonitorSchedule } from './monitor-definition.js';

// Parsed patterns, by `timeZone|pattern`; monitors are few, so this stays small, but bound it anyway.
const cache = new Map<string, Cron>();
const MAX_CACHED_PATTERNS = 1000;

/**
 * Reads a cron pattern in a time zone, the way schedules and maintenance windows are evaluated.
 * Throws with croner's reason for patterns that are not 5 or 6 fields or name an unknown time zone.
 *
 * Daylight-saving changes (croner 9, verified in next-schedule-time.test.ts): a local time that does
 * not exist (02:30 on the spring-forward night in Europe/Berlin) fires one hour later, at 03:30 local;
 * a local time that happens twice (02:30 on the fall-back night) fires once: at the second occurrence
 * when counting from the day before, and not again when the check-in came at the first occurrence.
 */
export function cronFor(pattern: string, timeZone: string): Cron {
  const key = `${timeZone}|${pattern}`;
  let cron = cache.get(key);
  if (!cron) {
    // legacyMode: day-of-month and day-of-week combine with OR, as in Vixie cron and crontab(5).
    cron = new Cron(pattern, { timezone: timeZone, paused: true, legacyMode: true });
    // Croner checks the time zone lazily; ask for a run now so a bad zone fails at definition time.
    cron.nextRun(new Date(0));
    if (cache.size >= MAX_CACHED_PATTERNS) cache.clear();
    cache.set(key, cron);
  }
  return cron;
}

/** The first cron time strictly after `afterMs`, or undefined when the pattern never fires again. */
export function nextCronTime(pattern: string, timeZone: string, afterMs: number): number | undefined {
  const next = cronFor(pattern, timeZone).nextRun(new Date(afterMs));
  return next ? next.getTime() : undefined;
}

/**
 * The next expected check-in: the first schedule time strictly after `lastCheckInMs` (for a period,
 * `lastCheckInMs + period`). Undefined for a cron pattern with no future time (e.g. a past date).
 */
export function nextScheduleTime(schedule: MonitorSchedule, lastCheckInMs: number): number | undefined {
  if (schedule.kind === 'period') return lastCheckInMs + schedule.periodSeconds * 1000;
  return nextCronTime(schedule.cron, schedule.timeZone, lastCheckInMs);
}
