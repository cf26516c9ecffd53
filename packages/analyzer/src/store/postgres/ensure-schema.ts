import type { PgPool } from './open-postgres.js';
import { type PgMigration, pgMigrate } from './pg-migrate.js';

/**
 * Migrates once, on first use: a store is built synchronously, while PostgreSQL may be unreachable at
 * that moment. A failed try is forgotten, so the next operation tries again once the database is back.
 */
export function schemaOnFirstUse(
  pool: PgPool,
  components: ReadonlyArray<readonly [string, readonly PgMigration[]]>,
): () => Promise<void> {
  let migrated: Promise<void> | undefined;
  return () => {
    migrated ??= (async () => {
      for (const [component, migrations] of components) await pgMigrate(pool, component, migrations);
    })().catch((error: unknown) => {
      migrated = undefined;
      throw error;
    });
    return migrated;
  };
}
