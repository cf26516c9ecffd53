import type { ChannelStore, StoredChannel } from '../../alerts/channel-store.js';
import { ALERT_OUTBOX_SCHEMA } from '../alert-outbox-schema.js';
import { type ChannelRow, fromChannelRow } from '../sqlite-channel-store.js';
import { schemaOnFirstUse } from './ensure-schema.js';
import type { PgPool } from './open-postgres.js';
import { PG_ALERT_OUTBOX_MIGRATIONS } from './postgres-schema.js';

/** Channels created through the API, in PostgreSQL: created on one analyzer, they deliver from all. */
export class PostgresChannelStore implements ChannelStore {
  private readonly ready: () => Promise<void>;

  constructor(private readonly pool: PgPool) {
    this.ready = schemaOnFirstUse(pool, [[ALERT_OUTBOX_SCHEMA, PG_ALERT_OUTBOX_MIGRATIONS]]);
  }

  async list(): Promise<StoredChannel[]> {
    await this.ready();
    const { rows } = await this.pool.query<ChannelRow>(
      'SELECT config, match, created_at FROM alert_channels ORDER BY name COLLATE "C"',
    );
    return rows.map(fromChannelRow);
  }

  async count(): Promise<number> {
    await this.ready();
    const { rows } = await this.pool.query<{ n: number }>(
      'SELECT COUNT(*)::INTEGER AS n FROM alert_channels',
    );
    return rows[0]?.n ?? 0;
  }

  async add(channel: StoredChannel): Promise<void> {
    await this.ready();
    await this.pool.query(
      'INSERT INTO alert_channels (name, config, match, created_at) VALUES ($1, $2, $3, $4)',
      [
        channel.config.name,
        JSON.stringify(channel.config),
        channel.match ? JSON.stringify(channel.match) : null,
        channel.createdAt,
      ],
    );
  }

  async remove(name: string): Promise<boolean> {
    await this.ready();
    const result = await this.pool.query('DELETE FROM alert_channels WHERE name = $1', [name]);
    return (result.rowCount ?? 0) > 0;
  }
}
