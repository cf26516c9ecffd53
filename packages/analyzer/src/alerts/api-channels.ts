import type { ChannelConfig } from '../config/alerts-config.js';
import { ConfigError } from '../config/config-error.js';
import { validateChannel, validateRouteMatch } from '../config/validate-alerts.js';
import type { AlertChannel } from './alert-channel.js';
import type { AlertDeliverer } from './alert-deliverer.js';
import type { ChannelStore, StoredChannel } from './channel-store.js';
import { type LookupAll, privateTargetReason } from './check-channel-target.js';
import { createChannel } from './create-channel.js';
import { GuardedChannel } from './guarded-channel.js';

/** Channels the API may create in all; the config file is the place for more. */
const MAX_API_CHANNELS = 100;

export type CreateChannelResult =
  | { ok: true; channel: StoredChannel }
  | { ok: false; status: 400 | 409; error: string };

export interface ApiChannelsOptions {
  store: ChannelStore;
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

  /** Names of the channels this object put into the deliverer, to drop those deleted elsewhere. */
  private readonly loaded = new Set<string>();

  /**
   * Makes the deliverer's API channels those stored: at start, and again and again on a shared database,
   * where another analyzer may have created or deleted one.
   */
  async sync(): Promise<void> {
    const stored = await this.options.store.list();
    const names = new Set(stored.map((s) => s.config.name));
    for (const name of this.loaded) {
      if (names.has(name)) continue;
      this.options.deliverer.removeChannel(name);
      this.loaded.delete(name);
    }
    for (const channel of stored) {
      if (this.options.deliverer.hasChannel(channel.config.name)) continue;
      this.options.deliverer.addChannel(this.open(channel.config), channel.match);
      this.loaded.add(channel.config.name);
    }
  }

  list(): Promise<StoredChannel[]> {
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
    if ((await this.options.store.count()) >= MAX_API_CHANNELS) {
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
    await this.options.store.add(stored);
    this.options.deliverer.addChannel(this.open(config), match);
    this.loaded.add(config.name);
    return { ok: true, channel: stored };
  }

  /** False when no API-created channel has that name (config-file channels cannot be deleted here). */
  async remove(name: string): Promise<boolean> {
    if (!(await this.options.store.remove(name))) return false;
    this.options.deliverer.removeChannel(name);
    this.loaded.delete(name);
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
