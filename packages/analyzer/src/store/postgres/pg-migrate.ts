import { inTransaction, type PgPool } from './open-postgres.js';

/** One schema change on PostgreSQL; step N brings a component from version N-1 to N. */
export type PgMigration = string;

/** Any number that is the same in every analyzer: serializes migrations across them. */
const MIGRATION_LOCK_KEY = 0x6a6f626c; // "jobl"

/**
 * The PostgreSQL twin of `migrate()`: applies what a component has not seen yet and records the version in
 * `schema_versions`. Several analyzers start at once on one database, so each migration runs under a
 * transaction-scoped advisory lock and re-reads the version after taking it.
 */
export async function pgMigrate(
  pool: PgPool,
  component: string,
  migrations: readonly PgMigration[],
): Promise<number> {
  await inTransaction(pool, async (client) => {
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
    await client.query(
      'CREATE TABLE IF NOT EXISTS schema_versions (component TEXT PRIMARY KEY, version INTEGER NOT NULL)',
    );
    const { rows } = await client.query<{ version: number }>(
      'SELECT version FROM schema_versions WHERE component = $1',
      [component],
    );
    const current = rows[0]?.version ?? 0;
    if (current > migrations.length) {
      throw new Error(
        `the ${component} schema is at version ${current}, newer than this analyzer knows (${migrations.length}); upgrade joblens`,
      );
    }
    for (let version = current + 1; version <= migrations.length; version++) {
      await client.query(migrations[version - 1]);
    }
    if (migrations.length > current) {
      await client.query(
        `INSERT INTO schema_versions (component, version) VALUES ($1, $2)
         ON CONFLICT (component) DO UPDATE SET version = excluded.version`,
        [component, migrations.length],
      );
    }
  });
  return migrations.length;
}
