import type { AlertEvent } from '../findings/alert-event.js';
import type { AlertChannel, AlertDelivery, DeliveryOutcome } from './alert-channel.js';
import { alertText } from './alert-text.js';
import { postJson } from './post-json.js';

export const PAGERDUTY_EVENTS_URL = 'https://events.pagerduty.com/v2/enqueue';

export interface PagerDutyChannelOptions {
  name: string;
  /** The integration's routing key (Events API v2). */
  routingKey: string;
  /** Default PAGERDUTY_EVENTS_URL; tests and proxies point it elsewhere. */
  url?: string;
}

const ACTIONS: Record<AlertEvent['kind'], 'trigger' | 'acknowledge' | 'resolve'> = {
  opened: 'trigger',
  raised: 'trigger',
  reminder: 'trigger',
  acknowledged: 'acknowledge',
  resolved: 'resolve',
};

/** PagerDuty's severities; joblens's `warning` and `critical` map onto theirs as named. */
const SEVERITIES = { info: 'info', warning: 'warning', critical: 'critical' } as const;

/** The Events API v2 body: one incident per finding (`dedup_key` = finding id). */
function pagerDutyEvent(routingKey: string, event: AlertEvent): Record<string, unknown> {
  const action = ACTIONS[event.kind];
  const base = { routing_key: routingKey, event_action: action, dedup_key: event.finding.id };
  if (action !== 'trigger') return base;
  const { finding } = event;
  return {
    ...base,
    payload: {
      // PagerDuty cuts summaries at 1024 characters and refuses longer ones.
      summary: alertText(event).slice(0, 1024),
      source: finding.subject.worker ?? finding.subject.host ?? finding.subject.service ?? 'joblens',
      severity: SEVERITIES[finding.severity],
      timestamp: new Date(event.at).toISOString(),
      component: finding.subject.queue,
      group: finding.subject.service,
      class: finding.type,
      custom_details: {
        findingId: finding.id,
        nextStep: finding.nextStep,
        figures: finding.evidence.figures,
      },
    },
  };
}

export class PagerDutyChannel implements AlertChannel {
  readonly type = 'pagerduty';
  readonly name: string;

  constructor(private readonly options: PagerDutyChannelOptions) {
    this.name = options.name;
  }

  deliver(delivery: AlertDelivery): Promise<DeliveryOutcome> {
    const body = JSON.stringify(pagerDutyEvent(this.options.routingKey, delivery.event));
    return postJson(this.options.url ?? PAGERDUTY_EVENTS_URL, body);
  }
}
