import type { Severity } from '../detectors/finding-draft.js';

/** One channel from the config file's `alerts.channels`, by `type`. */
export type ChannelConfig =
  | { name: string; type: 'webhook'; url: string; secret: string }
  | { name: string; type: 'slack'; url: string }
  | { name: string; type: 'pagerduty'; routingKey: string; url?: string }
  | {
      name: string;
      type: 'email';
      host: string;
      port?: number;
      secure?: boolean;
      auth?: { user: string; pass: string };
      from: string;
      to: string | string[];
    };

export type ChannelType = ChannelConfig['type'];
export const CHANNEL_TYPES: readonly ChannelType[] = ['webhook', 'slack', 'pagerduty', 'email'];

/** Each field, when set, must hold one of its values; fields left out match anything. */
export interface RouteMatch {
  type?: string[];
  severity?: Severity[];
  service?: string[];
  queue?: string[];
  monitor?: string[];
}

/** Routes are tried in order and the first that matches picks the channels; one without `match` is the default. */
export interface AlertRoute {
  match?: RouteMatch;
  channels: string[];
}

export interface AlertsConfig {
  channels: ChannelConfig[];
  /** Without routes every channel gets every event. */
  routes: AlertRoute[];
  /** Lets channels created through the API target loopback, link-local and private addresses. Default false. */
  allowPrivateAddresses: boolean;
  /** How long a delivery is retried before it is dead-lettered. Default 24. */
  retryForHours: number;
  /** Hours between reminders of a finding open, unacknowledged and not snoozed; 0 sends none. Default 4. */
  reminderHours?: number;
}

export const DEFAULT_ALERTS_CONFIG: Readonly<AlertsConfig> = {
  channels: [],
  routes: [],
  allowPrivateAddresses: false,
  retryForHours: 24,
};
