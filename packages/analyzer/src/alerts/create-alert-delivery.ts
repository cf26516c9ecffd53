import type { Registry } from 'prom-client';
import type { SqliteDatabase } from '../store/open-database.js';
import { SqliteAlertOutbox } from '../store/sqlite-alert-outbox.js';
import { SqliteChannelStore } from '../store/sqlite-channel-store.js';
import { AlertDeliverer, type DeliveryResult } from './alert-deliverer.js';
import { registerAlertMetrics } from './alert-metrics.js';
import type { AlertsConfig } from './alerts-config.js';
import { ApiChannels } from './api-channels.js';
import { createChannel } from './create-channel.js';
import { SlackChannel } from './slack-channel.js';

/** The channel `alertWebhookUrl` stands for; it gets every event, whatever `alerts.routes` say. */
export const SHORTHAND_CHANNEL_NAME = 'alertWebhookUrl';

/** The older `joblens_analyzer_alerts_total{result}` reads these names. */
const LEGACY_RESULTS: Partial<Record<DeliveryResult, string>> = {
  sent: 'sent',
  retried: 'retried',
  dead: 'failed',
};

export interface AlertDeliveryInput {
  db: SqliteDatabase;
  alerts: AlertsConfig;
  alertWebhookUrl?: string;
  registry: Registry;
  /** Counts into `joblens_analyzer_alerts_total{result}`. */
  countAlert: (result: string) => void;
  clock: () => number;
  currentFinding: (id: string) => { snoozedUntil?: number } | undefined;
}

/** The outbox, its channels from the config and its metrics: what the analyzer publishes alerts to. */
export function createAlertDelivery(input: AlertDeliveryInput): {
  deliverer: AlertDeliverer;
  outbox: SqliteAlertOutbox;
  apiChannels: ApiChannels;
} {
  const outbox = new SqliteAlertOutbox(input.db);
  // The signature's time is wall time even when the analyzer runs on a test's virtual clock: the receiver checks it against its own.
  const channels = input.alerts.channels.map((config) => createChannel(config));
  if (input.alertWebhookUrl)
    channels.push(new SlackChannel({ name: SHORTHAND_CHANNEL_NAME, url: input.alertWebhookUrl }));
  const countDelivery = registerAlertMetrics(
    input.registry,
    outbox,
    channels.map((c) => c.name),
  );
  const deliverer = new AlertDeliverer({
    outbox,
    channels,
    routes: input.alerts.routes,
    unroutedChannels: input.alertWebhookUrl ? [SHORTHAND_CHANNEL_NAME] : [],
    retryForMillis: input.alerts.retryForHours * 3600_000,
    currentFinding: input.currentFinding,
    clock: input.clock,
    onResult: (channel, result, error) => {
      countDelivery(channel, result);
      const legacy = LEGACY_RESULTS[result];
      if (legacy) input.countAlert(legacy);
      if (result === 'dead') console.error(`joblens: gave up delivering an alert to ${channel}: ${error}`);
    },
  });
  const apiChannels = new ApiChannels({
    store: new SqliteChannelStore(input.db),
    deliverer,
    allowPrivateAddresses: input.alerts.allowPrivateAddresses,
    clock: input.clock,
  });
  apiChannels.load();
  return { deliverer, outbox, apiChannels };
}
