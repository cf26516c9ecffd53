import type { ChannelStore, StoredChannel } from '../alerts/channel-store.js';
import type { ChannelConfig, RouteMatch } from '../config/alerts-config.js';
import { ALERT_OUTBOX_MIGRATIONS, ALERT_OUTBOX_SCHEMA } from './alert-outbox-schema.js';
import { migrate } from './migrate.js';
import type { SqliteDatabase } from './open-database.js';

export type { StoredChannel } from '../alerts/channel-store.js';

/** A channel row as SQLite and PostgreSQL return it. */
export interface ChannelRow {
  config: string;
  match: string | null;
  created_at: number;
}

/** Channels created through the API, in the analyzer's SQLite file so they outlive a restart. */
export class SqliteChannelStore implements ChannelStore {
  constructor(private readonly db: SqliteDatabase) {
    migrate(db, ALERT_OUTBOX_SCHEMA, ALERT_OUTBOX_MIGRATIONS);
  }

  async list(): Promise<StoredChannel[]> {
    const rows = this.db
      .prepare('SELECT config, match, created_at FROM alert_channels ORDER BY name')
      .all() as ChannelRow[];
    return rows.map(fromChannelRow);
  }

  async count(): Promise<number> {
    return (this.db.prepare('SELECT COUNT(*) AS n FROM alert_channels').get() as { n: number }).n;
  }

  async add(channel: StoredChannel): Promise<void> {
    this.db
      .prepare('INSERT INTO alert_channels (name, config, match, created_at) VALUES (?, ?, ?, ?)')
      .run(
        channel.config.name,
        JSON.stringify(channel.config),
        channel.match ? JSON.stringify(channel.match) : null,
        channel.createdAt,
      );
  }

  async remove(name: string): Promise<boolean> {
    return this.db.prepare('DELETE FROM alert_channels WHERE name = ?').run(name).changes > 0;
  }
}

export function fromChannelRow(row: ChannelRow): StoredChannel {
  return {
    config: JSON.parse(row.config) as ChannelConfig,
    ...(row.match ? { match: JSON.parse(row.match) as RouteMatch } : {}),
    createdAt: row.created_at,
  };
}
