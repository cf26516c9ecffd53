import type { AlertChannel, AlertDelivery, DeliveryOutcome } from './alert-channel.js';
import { alertText } from './alert-text.js';
import { postJson } from './post-json.js';

export interface SlackChannelOptions {
  name: string;
  /** A Slack incoming-webhook URL, or anything that takes its body (Mattermost, Rocket.Chat, ...). */
  url: string;
}

/**
 * Slack reads `<...>` as mentions and links: a job named `<!channel>` would ping a whole channel. Slack
 * asks for exactly these three characters to be escaped; everything else is shown as written.
 */
export function escapeSlackText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** `text` for chat tools; `joblens` carries the structured event for receivers that route (Slack ignores it). */
export class SlackChannel implements AlertChannel {
  readonly type = 'slack';
  readonly name: string;

  constructor(private readonly options: SlackChannelOptions) {
    this.name = options.name;
  }

  deliver(delivery: AlertDelivery): Promise<DeliveryOutcome> {
    const { event } = delivery;
    const body = JSON.stringify({
      text: escapeSlackText(alertText(event)),
      joblens: {
        kind: 'finding_transition',
        event: event.kind,
        delivery: delivery.id,
        finding: event.finding,
        transition: event.transition,
        actor: event.actor,
      },
    });
    return postJson(this.options.url, body);
  }
}
