import { evaluateMonitor, type MonitorTransition } from './evaluate-monitor.js';
import type { MonitorDefinition } from './monitor-definition.js';
import type { MonitorEvent } from './monitor-event.js';
import type { MonitorAlertRows, MonitorRecord, MonitorStep } from './monitor-store.js';

/** The outbox rows a step's transitions raise; see `MonitorServiceOptions.alertsFor`. */
export type AlertsFor = (
  monitor: MonitorDefinition,
  transitions: readonly MonitorTransition[],
) => MonitorAlertRows[];

/**
 * One step of a monitor, run by the store under the monitor's lock: the events and the time up to `now`
 * applied to the cursor as stored, which another analyzer may have moved since this one last looked.
 * Pure. `now` never rewinds the cursor when this analyzer's clock runs behind the one that moved it.
 */
export function monitorStep(
  record: MonitorRecord,
  events: readonly MonitorEvent[],
  now: number,
  alertsFor?: AlertsFor,
): MonitorStep {
  const evaluation = evaluateMonitor(
    record.definition,
    { cursor: record.cursor, events },
    Math.max(now, record.cursor.atMs),
  );
  const alerts =
    evaluation.transitions.length > 0 ? alertsFor?.(record.definition, evaluation.transitions) : undefined;
  return {
    cursor: evaluation.cursor,
    transitions: evaluation.transitions,
    ...(alerts && alerts.length > 0 ? { alerts } : {}),
  };
}
