import type { Finding, FindingTransition } from '../findings/finding.js';

/**
 * A Slack-compatible webhook body: `text` is what chat tools show; `joblens` carries the structured
 * finding and transition for receivers that route or dedupe (Slack ignores unknown fields).
 */
export interface AlertMessage {
  text: string;
  joblens: Record<string, unknown>;
}

/**
 * Whether a transition is worth a message. A finding reopening within its hold time is the same problem
 * flapping: its opening was announced already, so the reopening is recorded but not sent again.
 */
export function isAlerted(transition: FindingTransition): boolean {
  return !(transition.from === 'resolved' && transition.to === 'open');
}

function verbOf(transition: FindingTransition): string {
  if (transition.to === 'resolved') return 'resolved';
  if (transition.from === null) return 'opened';
  return transition.from === 'open' ? 'raised its severity' : 'reopened';
}

/** `[WARNING] mystery_gap opened: render spends 7.0 s between fetch and upload with no span` */
export function alertForTransition(finding: Finding, transition: FindingTransition): AlertMessage {
  const verb = verbOf(transition);
  const where = [finding.subject.service, finding.subject.queue, finding.subject.worker]
    .filter(Boolean)
    .join('/');
  return {
    text: `[${finding.severity.toUpperCase()}] ${finding.type} ${verb}${where ? ` (${where})` : ''}: ${transition.summary || finding.summary}`,
    joblens: { kind: 'finding_transition', finding, transition },
  };
}
