import type { AlertOutbox } from '../alerts/alert-outbox.js';
import { ALERT_OUTBOX_SCHEMA } from '../store/alert-outbox-schema.js';
import type { SqliteDatabase } from '../store/open-database.js';
import { schemaOnFirstUse } from '../store/postgres/ensure-schema.js';
import type { PgPool } from '../store/postgres/open-postgres.js';
import { insertOutboxRows } from '../store/postgres/postgres-alert-outbox.js';
import { PG_ALERT_OUTBOX_MIGRATIONS } from '../store/postgres/postgres-schema.js';
import { SqliteAlertOutbox } from '../store/sqlite-alert-outbox.js';
import type { MonitorStore } from './monitor-store.js';
import { PostgresMonitorStore } from './postgres-monitor-store.js';
import { SqliteMonitorStore } from './sqlite-monitor-store.js';

export interface MonitorStoreInput {
  /** The analyzer's SQLite file: the monitors' home without a pool. */
  db: SqliteDatabase;
  /** With a database URL: monitors live in PostgreSQL, shared with every analyzer on it. */
  pool?: PgPool;
  /** The outbox beside them: on SQLite it must be the `SqliteAlertOutbox` of `db`. */
  outbox: AlertOutbox;
}

/**
 * PostgreSQL with a pool, else the SQLite file. Either way the outbox rows of a flip are written by the
 * step that stores it, in the monitors' database: SQLite's outbox shares the file, and PostgreSQL's
 * `alert_outbox` is the one every analyzer delivers from.
 */
export function openMonitorStore(input: MonitorStoreInput): MonitorStore {
  if (input.pool) {
    // The outbox may not have been used yet on this database; its table must exist before a step writes to it.
    const outboxReady = schemaOnFirstUse(input.pool, [[ALERT_OUTBOX_SCHEMA, PG_ALERT_OUTBOX_MIGRATIONS]]);
    return new PostgresMonitorStore(input.pool, async (client, alerts) => {
      await outboxReady();
      await insertOutboxRows(client, alerts);
    });
  }
  const outbox = input.outbox;
  if (!(outbox instanceof SqliteAlertOutbox))
    throw new Error('monitors on SQLite need the SQLite alert outbox of the same file');
  return new SqliteMonitorStore(input.db, (alerts) => outbox.write(alerts));
}
