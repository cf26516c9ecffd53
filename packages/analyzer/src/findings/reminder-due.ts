import type { Finding } from './finding.js';
import { isSnoozed } from './incident-state.js';

/**
 * Whether an open finding is owed a reminder now. Nobody is reminded of a finding someone acknowledged
 * or snoozed. Otherwise one is due every `intervalMillis` after the last reminder (or the opening), and
 * right when a snooze ends, since the snooze only put off what was owed. `intervalMillis` 0 turns
 * reminders off.
 */
export function isReminderDue(finding: Finding, now: number, intervalMillis: number): boolean {
  if (intervalMillis <= 0 || finding.status !== 'open') return false;
  if (finding.acknowledgedBy !== undefined || isSnoozed(finding, now)) return false;
  const last = finding.remindedAt ?? finding.firstSeen;
  const snoozeEndedSinceLast = finding.snoozedUntil !== undefined && finding.snoozedUntil > last;
  return snoozeEndedSinceLast || now - last >= intervalMillis;
}
