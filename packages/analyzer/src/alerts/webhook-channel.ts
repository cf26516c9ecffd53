import type { AlertChannel, AlertDelivery, DeliveryOutcome } from './alert-channel.js';
import { alertText } from './alert-text.js';
import { postJson } from './post-json.js';
import { signatureHeader } from './sign-payload.js';

export interface WebhookChannelOptions {
  name: string;
  url: string;
  /** HMAC key for `X-Joblens-Signature`. Required: an unsigned webhook cannot be told from a forged one. */
  secret: string;
  /** Unix ms, for the signature's `t`. Default `Date.now`. */
  clock?: () => number;
}

/** JSON with the whole event, signed; `X-Joblens-Delivery` is the same on every retry of one delivery. */
export class WebhookChannel implements AlertChannel {
  readonly type = 'webhook';
  readonly name: string;

  constructor(private readonly options: WebhookChannelOptions) {
    this.name = options.name;
  }

  deliver(delivery: AlertDelivery): Promise<DeliveryOutcome> {
    const { event } = delivery;
    const body = JSON.stringify({
      id: delivery.id,
      kind: event.kind,
      at: event.at,
      text: alertText(event),
      finding: event.finding,
      transition: event.transition,
      actor: event.actor,
    });
    const now = (this.options.clock ?? Date.now)();
    return postJson(this.options.url, body, {
      'x-joblens-delivery': delivery.id,
      'x-joblens-signature': signatureHeader(this.options.secret, body, now / 1000),
    });
  }
}
