import type { ChannelConfig } from '../config/alerts-config.js';
import type { AlertChannel } from './alert-channel.js';
import { EmailChannel } from './email-channel.js';
import { PagerDutyChannel } from './pagerduty-channel.js';
import { SlackChannel } from './slack-channel.js';
import { WebhookChannel } from './webhook-channel.js';

/** The channel a validated config entry describes. */
export function createChannel(config: ChannelConfig, clock: () => number = Date.now): AlertChannel {
  switch (config.type) {
    case 'webhook':
      return new WebhookChannel({ ...config, clock });
    case 'slack':
      return new SlackChannel(config);
    case 'pagerduty':
      return new PagerDutyChannel(config);
    case 'email':
      return new EmailChannel(config);
  }
}
