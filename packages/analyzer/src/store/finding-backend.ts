import { hostname } from 'node:os';
import type { AlertOutbox } from '../alerts/alert-outbox.js';
import type { ChannelStore } from '../alerts/channel-store.js';
import type { FindingStore } from '../findings/finding-store.js';
import type { SqliteDatabase } from './open-database.js';
import type { PgPool } from './postgres/open-postgres.js';
import { PostgresAlertOutbox } from './postgres/postgres-alert-outbox.js';
import { PostgresChannelStore } from './postgres/postgres-channel-store.js';
import { PostgresFindingStore } from './postgres/postgres-finding-store.js';
import { SqliteAlertOutbox } from './sqlite-alert-outbox.js';
import { SqliteChannelStore } from './sqlite-channel-store.js';
import { SqliteFindingStore } from './sqlite-finding-store.js';

/** Findings, the alert outbox and the API's channels: always in one database, as a save writes to two of them. */
export interface FindingBackend {
  findings: FindingStore;
  outbox: AlertOutbox;
  channels: ChannelStore;
  /** Whether other analyzers may write to the same stores (PostgreSQL). */
  shared: boolean;
}

/** PostgreSQL when the analyzer has a pool (`databaseUrl`), else the analyzer's SQLite file. */
export function openFindingBackend(input: {
  db: SqliteDatabase;
  pool?: PgPool;
  owner: string;
}): FindingBackend {
  if (input.pool)
    return {
      findings: new PostgresFindingStore(input.pool, { owner: input.owner }),
      outbox: new PostgresAlertOutbox(input.pool, input.owner),
      channels: new PostgresChannelStore(input.pool),
      shared: true,
    };
  return {
    findings: new SqliteFindingStore(input.db, { owner: input.owner }),
    outbox: new SqliteAlertOutbox(input.db),
    channels: new SqliteChannelStore(input.db),
    shared: false,
  };
}

/**
 * The name an analyzer records as the owner of the findings it raises: `JOBLENS_INSTANCE` when set (give
 * each analyzer of a fleet its own, stable across restarts), else host and API port, which are stable for
 * one analyzer per host and port. An analyzer that restarts takes back the open findings under its name.
 */
export function instanceName(port: number, env: NodeJS.ProcessEnv = process.env): string {
  const configured = env.JOBLENS_INSTANCE?.trim();
  return configured || `${hostname()}:${port}`;
}
