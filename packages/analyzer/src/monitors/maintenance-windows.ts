import type { MaintenanceWindow } from './monitor-definition.js';
import { nextCronTime } from './next-schedule-time.js';

// Windows that touch end to end chain; this bounds the chain so a window repeating faster than it
// lasts (cron every minute, open for an hour) cannot loop for ever.
const MAX_CHAINED_WINDOWS = 1000;

/** End (unix ms) of the window open at `atMs`, or undefined when no window is open then. */
function endOfWindowAt(window: MaintenanceWindow, atMs: number): number | undefined {
  if (window.kind === 'fixed') {
    return window.startsAtMs <= atMs && atMs < window.endsAtMs ? window.endsAtMs : undefined;
  }
  const durationMs = window.durationSeconds * 1000;
  // The first opening strictly after atMs - duration is the only one whose window can still cover atMs.
  const opensAtMs = nextCronTime(window.cron, window.timeZone, atMs - durationMs);
  return opensAtMs !== undefined && opensAtMs <= atMs ? opensAtMs + durationMs : undefined;
}

/** True when some maintenance window is open at `atMs`. */
export function inMaintenance(windows: readonly MaintenanceWindow[], atMs: number): boolean {
  return windows.some((window) => endOfWindowAt(window, atMs) !== undefined);
}

/**
 * Moves a deadline that falls inside maintenance to the moment maintenance is over (following
 * windows that overlap or touch); a deadline outside every window comes back unchanged.
 */
export function deferPastMaintenance(windows: readonly MaintenanceWindow[], deadlineMs: number): number {
  let at = deadlineMs;
  for (let i = 0; i < MAX_CHAINED_WINDOWS; i++) {
    let latestEnd: number | undefined;
    for (const window of windows) {
      const end = endOfWindowAt(window, at);
      if (end !== undefined && (latestEnd === undefined || end > latestEnd)) latestEnd = end;
    }
    if (latestEnd === undefined) return at;
    at = latestEnd;
  }
  return at;
}
