import type { Finding, FindingTransition } from '../findings/finding.js';

/**
 * A Slack-compatible webhook body: `text` is what chat tools show; `joblens` carries the structured
 * finding and transition for receivers that route or dedupe (Slack ignores unknown fields).
 */
export interface AlertMessage {
  text: string;
  joblens: Record<string, unknown>;
}

/** `[WARNING] mystery_gap opened: render spends 7.0 s between fetch and upload with no span` */
export function alertForTransition(finding: Finding, transition: FindingTransition): AlertMessage {
  const verb = transition.to === 'open' ? (transition.from === null ? 'opened' : 'reopened') : 'resolved';
  const where = [finding.subject.service, finding.subject.queue, finding.subject.worker]
    .filter(Boolean)
    .join('/');
  return {
    text: `[${finding.severity.toUpperCase()}] ${finding.type} ${verb}${where ? ` (${where})` : ''}: ${transition.summary || finding.summary}`,
    joblens: { kind: 'finding_transition', finding, transition },
  };
}
