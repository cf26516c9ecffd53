import type { ChannelConfig, RouteMatch } from '../config/alerts-config.js';

/** A channel created through the API, with the findings it wants (all when `match` is unset). */
export interface StoredChannel {
  config: ChannelConfig;
  match?: RouteMatch;
  createdAt: number;
}

/**
 * Channels created through the API, so they outlive a restart: `SqliteChannelStore` by default,
 * `PostgresChannelStore` to share them between analyzers.
 */
export interface ChannelStore {
  /** By name. */
  list(): Promise<StoredChannel[]>;
  count(): Promise<number>;
  /** Rejects when a channel of that name is stored already. */
  add(channel: StoredChannel): Promise<void>;
  /** Whether there was such a channel. */
  remove(name: string): Promise<boolean>;
}
