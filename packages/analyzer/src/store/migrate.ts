import type { SqliteDatabase } from './open-database.js';

/** One schema change; step N brings a component from version N-1 to N. */
export type Migration = (db: SqliteDatabase) => void;

/**
 * Applies the migrations a component has not seen yet, each in its own transaction, and records the
 * version reached. Components (findings, monitors) share one database file, so each keeps its own row in
 * `schema_versions` rather than SQLite's single `PRAGMA user_version`.
 */
export function migrate(db: SqliteDatabase, component: string, migrations: readonly Migration[]): number {
  db.exec(
    'CREATE TABLE IF NOT EXISTS schema_versions (component TEXT PRIMARY KEY, version INTEGER NOT NULL)',
  );
  const row = db.prepare('SELECT version FROM schema_versions WHERE component = ?').get(component) as
    | { version: number }
    | undefined;
  const current = row?.version ?? 0;
  if (current > migrations.length) {
    throw new Error(
      `the ${component} schema is at version ${current}, newer than this analyzer knows (${migrations.length}); upgrade joblens`,
    );
  }
  const record = db.prepare(
    'INSERT INTO schema_versions (component, version) VALUES (?, ?) ON CONFLICT(component) DO UPDATE SET version = excluded.version',
  );
  for (let version = current + 1; version <= migrations.length; version++) {
    const step = migrations[version - 1];
    db.transaction(() => {
      step(db);
      record.run(component, version);
    })();
  }
  return migrations.length;
}
