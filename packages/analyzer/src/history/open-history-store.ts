import type { Logger } from '../log/logger.js';
import type { SqliteDatabase } from '../store/open-database.js';
import type { PgPool } from '../store/postgres/open-postgres.js';
import type { HistoryStore } from './history-store.js';
import { PostgresHistoryStore } from './postgres-history-store.js';
import { SqliteHistoryStore } from './sqlite-history-store.js';
import { ThreadedSqliteHistoryStore } from './sqlite-history-thread.js';

/**
 * The job history of the analyzer's configuration: PostgreSQL when it has a database URL (the tables are
 * migrated at the first append or search, as the database may be down at start); else `history.db` in
 * the data directory, written from a thread of its own; else, the database being in memory, beside it.
 */
export function openHistoryStore(
  db: SqliteDatabase,
  dataDir: string,
  pool: PgPool | undefined,
  logger: Logger,
): HistoryStore {
  if (pool !== undefined) return new PostgresHistoryStore(pool);
  return db.memory ? new SqliteHistoryStore(db) : new ThreadedSqliteHistoryStore(dataDir, logger);
}
