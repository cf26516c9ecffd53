import type { ChannelConfig } from '../config/alerts-config.js';
import type { AlertChannel, AlertDelivery, DeliveryOutcome } from './alert-channel.js';
import { type LookupAll, privateTargetReason } from './check-channel-target.js';

/**
 * A channel created through the API, checked again before every try: a name that resolved to a public
 * address when the channel was created may point at 127.0.0.1 later (DNS rebinding). The check and the
 * connection still resolve separately, so a resolver answering differently within the same second can
 * slip through; that window is far smaller than the one a check at creation alone leaves.
 */
export class GuardedChannel implements AlertChannel {
  readonly name: string;
  readonly type: string;

  constructor(
    private readonly inner: AlertChannel,
    private readonly config: ChannelConfig,
    private readonly lookup?: LookupAll,
  ) {
    this.name = inner.name;
    this.type = inner.type;
  }

  async deliver(delivery: AlertDelivery): Promise<DeliveryOutcome> {
    const reason = await privateTargetReason(this.config, this.lookup);
    if (reason) return { ok: false, retryable: false, error: reason };
    return this.inner.deliver(delivery);
  }

  close(): void {
    this.inner.close?.();
  }
}
