import type { AlertMessage } from '../alerts/alert-message.js';
import type { MonitorTransition } from './evaluate-monitor.js';
import type { MonitorDefinition } from './monitor-definition.js';

const REASONS: Record<string, string> = {
  missed: 'no check-in in time',
  runtime: 'a run went past its maximum runtime',
  failure: 'the work reported failure',
};

/**
 * The webhook message for a monitor going down or coming back up; undefined for the other changes
 * (up, grace, running), which are too frequent to page anyone about.
 */
export function alertForMonitorTransition(
  monitor: MonitorDefinition,
  transition: MonitorTransition,
): AlertMessage | undefined {
  const down = transition.to === 'down';
  const recovered = transition.from === 'down' && transition.to === 'up';
  if (!down && !recovered) return undefined;
  const when = new Date(transition.atMs).toISOString();
  const why = REASONS[transition.reason] ?? transition.reason;
  const exit = transition.exitCode !== undefined ? `, exit code ${transition.exitCode}` : '';
  return {
    text: down
      ? `[CRITICAL] monitor ${monitor.slug} is down since ${when}: ${why}${exit}`
      : `[INFO] monitor ${monitor.slug} is up again at ${when}`,
    joblens: { kind: 'monitor_transition', monitor: { slug: monitor.slug, name: monitor.name }, transition },
  };
}
