import type { ChannelConfig, RouteMatch } from '../alerts/alerts-config.js';
import { ALERT_OUTBOX_MIGRATIONS, ALERT_OUTBOX_SCHEMA } from './alert-outbox-schema.js';
import { migrate } from './migrate.js';
import type { SqliteDatabase } from './open-database.js';

/** A channel created through the API, with the findings it wants (all when `match` is unset). */
export interface StoredChannel {
  config: ChannelConfig;
  match?: RouteMatch;
  createdAt: number;
}

/** Channels created through the API, in the analyzer's SQLite file so they outlive a restart. */
export class SqliteChannelStore {
  constructor(private readonly db: SqliteDatabase) {
    migrate(db, ALERT_OUTBOX_SCHEMA, ALERT_OUTBOX_MIGRATIONS);
  }

  list(): StoredChannel[] {
    const rows = this.db
      .prepare('SELECT config, match, created_at FROM alert_channels ORDER BY name')
      .all() as Array<{
      config: string;
      match: string | null;
      created_at: number;
    }>;
    return rows.map((row) => ({
      config: JSON.parse(row.config) as ChannelConfig,
      ...(row.match ? { match: JSON.parse(row.match) as RouteMatch } : {}),
      createdAt: row.created_at,
    }));
  }

  count(): number {
    return (this.db.prepare('SELECT COUNT(*) AS n FROM alert_channels').get() as { n: number }).n;
  }

  add(channel: StoredChannel): void {
    this.db
      .prepare('INSERT INTO alert_channels (name, config, match, created_at) VALUES (?, ?, ?, ?)')
      .run(
        channel.config.name,
        JSON.stringify(channel.config),
        channel.match ? JSON.stringify(channel.match) : null,
        channel.createdAt,
      );
  }

  /** Whether there was such a channel. */
  remove(name: string): boolean {
    return this.db.prepare('DELETE FROM alert_channels WHERE name = ?').run(name).changes > 0;
  }
}
