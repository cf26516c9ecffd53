import type { AlertEvent } from '../findings/alert-event.js';

const VERBS: Record<AlertEvent['kind'], string> = {
  opened: 'opened',
  raised: 'raised its severity',
  acknowledged: 'acknowledged',
  resolved: 'resolved',
  reminder: 'still open',
};

/** `[WARNING] mystery_gap opened (billing/invoices): render spends 7.0 s between fetch and upload` */
export function alertText(event: AlertEvent): string {
  const { finding } = event;
  const where = [finding.subject.service, finding.subject.queue, finding.subject.worker]
    .filter(Boolean)
    .join('/');
  const by = event.kind === 'acknowledged' && event.actor ? ` by ${event.actor}` : '';
  const summary = event.transition?.summary || finding.summary;
  return `[${finding.severity.toUpperCase()}] ${finding.type} ${VERBS[event.kind]}${by}${where ? ` (${where})` : ''}: ${summary}`;
}

/** The subject line of an e-mail, shorter than the text. */
export function alertTitle(event: AlertEvent): string {
  return `[joblens ${event.finding.severity}] ${event.finding.type} ${VERBS[event.kind]}`;
}
