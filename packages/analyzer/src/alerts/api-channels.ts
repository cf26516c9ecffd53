import { ConfigError } from '../config/config-error.js';
import { validateChannel, validateRouteMatch } from '../config/validate-alerts.js';
import type { SqliteChannelStore, StoredChannel } from '../store/sqlite-channel-store.js';
import type { AlertChannel } from './alert-channel.js';
import type { AlertDeliverer } from './alert-deliverer.js';
import type { ChannelConfig } from './alerts-config.js';
import { type LookupAll, privateTargetReason } from './check-channel-target.js';
import { createChannel } from './create-channel.js';
import { GuardedChannel } from './guarded-channel.js';

/** Channels the API may create in all; the config file is the place for more. */
export const MAX_API_CHANNELS = 100;

export type CreateChannelResult =
  | { ok: true; channel: StoredChannel }
  | { ok: false; status: 400 | 409; error: string };

export interface ApiChannelsOptions {
  store: SqliteChannelStore;
  deliverer: AlertDeliverer;
  /** `alerts.allowPrivateAddresses`. */
  allowPrivateAddresses: boolean;
  clock: () => number;
  lookup?: LookupAll;
}

/**
 * Channels created and deleted through the API. Unlike the config file's, whose author is the operator,
 * their targets are checked: none may be, or resolve to, a loopback, link-local or private address unless
 * `alerts.allowPrivateAddresses` is true, when created and again before every delivery.
 */
export class ApiChannels {
  constructor(private readonly options: ApiChannelsOptions) {}

  /** Puts the stored channels back into the deliverer (at start). */
  load(): void {
    for (const stored of this.options.store.list()) {
      if (this.options.deliverer.hasChannel(stored.config.name)) continue;
      this.options.deliverer.addChannel(this.open(stored.config), stored.match);
    }
  }

  list(): StoredChannel[] {
    return this.options.store.list();
  }

  /** Validates `{ ...channel settings, match? }`, checks the target, stores and starts the channel. */
  async create(body: Record<string, unknown>): Promise<CreateChannelResult> {
    const { match: rawMatch, ...settings } = body;
    let config: ChannelConfig;
    let match: StoredChannel['match'];
    try {
      config = validateChannel(settings, 'channel');
      match = rawMatch === undefined ? undefined : validateRouteMatch(rawMatch, 'channel.match');
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      return { ok: false, status: 400, error: error.message.replace(/^config: /, '') };
    }
    if (this.options.deliverer.hasChannel(config.name)) {
      return {
        ok: false,
        status: 409,
        error: `a channel named ${JSON.stringify(config.name)} exists already`,
      };
    }
    if (this.options.store.count() >= MAX_API_CHANNELS) {
      return {
        ok: false,
        status: 409,
        error: `the API creates at most ${MAX_API_CHANNELS} channels; delete one or use alerts.channels in the config file`,
      };
    }
    if (!this.options.allowPrivateAddresses) {
      const reason = await privateTargetReason(config, this.options.lookup);
      if (reason) return { ok: false, status: 400, error: reason };
    }
    const stored: StoredChannel = { config, ...(match ? { match } : {}), createdAt: this.options.clock() };
    // Checked again after the await: another request may have taken the name meanwhile.
    if (this.options.deliverer.hasChannel(config.name)) {
      return {
        ok: false,
        status: 409,
        error: `a channel named ${JSON.stringify(config.name)} exists already`,
      };
    }
    this.options.store.add(stored);
    this.options.deliverer.addChannel(this.open(config), match);
    return { ok: true, channel: stored };
  }

  /** False when no API-created channel has that name (config-file channels cannot be deleted here). */
  remove(name: string): boolean {
    if (!this.options.store.remove(name)) return false;
    this.options.deliverer.removeChannel(name);
    return true;
  }

  private open(config: ChannelConfig): AlertChannel {
    const channel = createChannel(config);
    return this.options.allowPrivateAddresses
      ? channel
      : new GuardedChannel(channel, config, this.options.lookup);
  }
}

/** A channel as the API shows it: everything but its secrets. */
export function publicChannelView(config: ChannelConfig): Record<string, unknown> {
  const view: Record<string, unknown> = { ...config };
  for (const secret of ['secret', 'routingKey', 'auth']) if (secret in view) view[secret] = '***';
  return view;
}
