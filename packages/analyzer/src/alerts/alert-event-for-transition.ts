import type { AlertEvent, AlertEventKind } from '../findings/alert-event.js';
import type { Finding, FindingTransition } from '../findings/finding.js';
import { isAlerted } from './alert-message.js';

function kindOf(transition: FindingTransition): AlertEventKind {
  if (transition.to === 'resolved') return 'resolved';
  return transition.from === 'open' ? 'raised' : 'opened';
}

/**
 * The event a finding transition publishes, or undefined for a reopening within the hold time (a
 * flapping finding pages once). The id is derived from the transition, so saving the same transition
 * twice still queues one delivery per channel.
 */
export function alertEventForTransition(
  finding: Finding,
  transition: FindingTransition,
): AlertEvent | undefined {
  if (!isAlerted(transition)) return undefined;
  const kind = kindOf(transition);
  return { id: `${finding.id}.${kind}.${transition.at}`, kind, at: transition.at, finding, transition };
}
