import type { Severity } from '../detectors/finding-draft.js';
import type { Finding, FindingStatus, FindingTransition } from './finding.js';

/** What a store holds of a finding before a save: its status and severity. */
export interface StoredState {
  status: FindingStatus;
  severity: Severity;
}

/**
 * The transitions of a save that change what is stored, in order: the rule every store applies inside
 * its transaction so that, when two analyzers raise the same finding (ids are deterministic), only the
 * first one records the opening and queues its alert. `before` is the stored state, read under a row lock.
 */
export function recordedTransitions(
  findings: readonly Finding[],
  transitions: readonly FindingTransition[],
  before: ReadonlyMap<string, StoredState>,
): FindingTransition[] {
  const saved = new Map(findings.map((f) => [f.id, f]));
  const current = new Map(before);
  const recorded: FindingTransition[] = [];
  for (const transition of transitions) {
    const stored = current.get(transition.findingId);
    if (transition.event) {
      recorded.push(transition);
      continue;
    }
    const severity = saved.get(transition.findingId)?.severity ?? stored?.severity ?? 'warning';
    if (transition.from !== transition.to) {
      if (stored?.status === transition.to) continue;
    } else if (stored && stored.status === transition.to && stored.severity === severity) {
      // An open → open raise (a severity change) another analyzer already stored.
      continue;
    }
    recorded.push(transition);
    current.set(transition.findingId, { status: transition.to, severity });
  }
  return recorded;
}

/** Ids of the findings whose status a recorded transition changed: their `owner` becomes the saver. */
export function statusChangedIds(recorded: readonly FindingTransition[]): Set<string> {
  return new Set(recorded.filter((t) => !t.event && t.from !== t.to).map((t) => t.findingId));
}
