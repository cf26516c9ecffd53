import type { AlertEvent, AlertEventKind } from '../../src/findings/alert-event.js';
import type { Finding } from '../../src/findings/finding.js';
import { makeFinding, makeOpening } from '../store/make-finding.js';

let counter = 0;

/** An event about a fresh mystery_gap finding (or the one given), `opened` unless told otherwise. */
export function makeAlertEvent(
  overrides: { kind?: AlertEventKind; finding?: Partial<Finding>; actor?: string } = {},
): AlertEvent {
  counter++;
  const finding = makeFinding(overrides.finding);
  const kind = overrides.kind ?? 'opened';
  return {
    id: `${finding.id}.${kind}.${counter}`,
    kind,
    at: finding.lastSeen,
    finding,
    transition: kind === 'opened' ? makeOpening(finding) : undefined,
    actor: overrides.actor,
  };
}
