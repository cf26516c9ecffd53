import type { AlertEvent } from '../findings/alert-event.js';
import type { Finding } from '../findings/finding.js';
import type { MonitorTransition } from './evaluate-monitor.js';
import type { MonitorDefinition } from './monitor-definition.js';

const REASONS: Record<string, string> = {
  missed: 'no check-in in time',
  runtime: 'a run went past its maximum runtime',
  failure: 'the work reported failure',
};

/**
 * The alert for a monitor going down or coming back up; undefined for the other changes (up, grace,
 * running), which are too frequent to page anyone about. A monitor flip is announced the moment it
 * happens, before the detector runner turns it into a finding, so it travels as a finding of its own,
 * `monitor-<slug>`: routes match it by `monitor`, and PagerDuty keeps one incident per monitor until it
 * is up again.
 */
export function alertForMonitorTransition(
  monitor: MonitorDefinition,
  transition: MonitorTransition,
): AlertEvent | undefined {
  const down = transition.to === 'down';
  const recovered = transition.from === 'down' && transition.to === 'up';
  if (!down && !recovered) return undefined;
  const when = new Date(transition.atMs).toISOString();
  const why = REASONS[transition.reason] ?? transition.reason;
  const exit = transition.exitCode !== undefined ? `, exit code ${transition.exitCode}` : '';
  const summary = down
    ? `monitor ${monitor.slug} is down since ${when}: ${why}${exit}`
    : `monitor ${monitor.slug} is up again at ${when}`;
  const finding: Finding = {
    id: `monitor-${monitor.slug}`,
    type: 'missed_heartbeat',
    key: `monitor|${monitor.slug}`,
    severity: down ? 'critical' : 'info',
    subject: { monitor: monitor.slug },
    summary,
    nextStep: down ? `check the job behind monitor ${monitor.slug} (${monitor.name})` : '',
    evidence: { figures: { reason: transition.reason }, traces: [] },
    since: transition.atMs,
    status: down ? 'open' : 'resolved',
    firstSeen: transition.atMs,
    lastSeen: transition.atMs,
    ...(recovered ? { resolvedAt: transition.atMs } : {}),
  };
  const kind = down ? 'opened' : 'resolved';
  return { id: `${finding.id}.${kind}.${transition.atMs}`, kind, at: transition.atMs, finding };
}
