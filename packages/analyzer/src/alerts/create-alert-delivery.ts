import type { Registry } from 'prom-client';
import type { AlertsConfig } from '../config/alerts-config.js';
import { type Logger, stderrLogger } from '../log/logger.js';
import { AlertDeliverer, type DeliveryResult } from './alert-deliverer.js';
import { registerAlertMetrics } from './alert-metrics.js';
import type { AlertOutbox } from './alert-outbox.js';
import { ApiChannels } from './api-channels.js';
import type { ChannelStore } from './channel-store.js';
import { createChannel } from './create-channel.js';
import { SlackChannel } from './slack-channel.js';

/** The channel `alertWebhookUrl` stands for; it gets every event, whatever `alerts.routes` say. */
const SHORTHAND_CHANNEL_NAME = 'alertWebhookUrl';

/** The older `joblens_analyzer_alerts_total{result}` reads these names. */
const LEGACY_RESULTS: Partial<Record<DeliveryResult, string>> = {
  sent: 'sent',
  retried: 'retried',
  dead: 'failed',
};

export interface AlertDeliveryInput {
  /** SQLite's or PostgreSQL's, with the finding store's database. */
  outbox: AlertOutbox;
  channelStore: ChannelStore;
  alerts: AlertsConfig;
  alertWebhookUrl?: string;
  registry: Registry;
  /** Counts into `joblens_analyzer_alerts_total{result}`. */
  countAlert: (result: string) => void;
  clock: () => number;
  currentFinding: (id: string) => Promise<{ snoozedUntil?: number } | undefined>;
  /** Where outages and given-up deliveries are told. Default {@link stderrLogger}. */
  logger?: Logger;
}

/** The outbox, its channels from the config and its metrics: what the analyzer publishes alerts to. */
export function createAlertDelivery(input: AlertDeliveryInput): {
  deliverer: AlertDeliverer;
  outbox: AlertOutbox;
  apiChannels: ApiChannels;
} {
  const outbox = input.outbox;
  const logger = input.logger ?? stderrLogger;
  // The signature's time is wall time even when the analyzer runs on a test's virtual clock: the receiver checks it against its own.
  const channels = input.alerts.channels.map((config) => createChannel(config));
  if (input.alertWebhookUrl)
    channels.push(new SlackChannel({ name: SHORTHAND_CHANNEL_NAME, url: input.alertWebhookUrl }));
  const countDelivery = registerAlertMetrics(
    input.registry,
    outbox,
    channels.map((c) => c.name),
  );
  const deliverer: AlertDeliverer = new AlertDeliverer({
    outbox,
    channels,
    routes: input.alerts.routes,
    unroutedChannels: input.alertWebhookUrl ? [SHORTHAND_CHANNEL_NAME] : [],
    retryForMillis: input.alerts.retryForHours * 3600_000,
    currentFinding: input.currentFinding,
    syncChannels: (): Promise<void> => apiChannels.sync(),
    clock: input.clock,
    logger,
    onResult: (channel, result, error) => {
      countDelivery(channel, result);
      const legacy = LEGACY_RESULTS[result];
      if (legacy) input.countAlert(legacy);
      if (result === 'dead') logger.error(`gave up delivering an alert to ${channel}: ${error}`);
    },
  });
  const apiChannels: ApiChannels = new ApiChannels({
    store: input.channelStore,
    deliverer,
    allowPrivateAddresses: input.alerts.allowPrivateAddresses,
    clock: input.clock,
  });
  // The delivery loop loads the stored channels before its first pass (see `syncChannels`).
  return { deliverer, outbox, apiChannels };
}
