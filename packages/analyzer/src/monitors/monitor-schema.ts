import type { Migration } from '../store/migrate.js';

/** Component name of the monitors tables in `schema_versions`. */
export const MONITORS_SCHEMA = 'monitors';

/** Append only: a released step never changes, a new need is a new step. */
export const MONITORS_MIGRATIONS: readonly Migration[] = [
  (db) => {
    db.exec(`
      CREATE TABLE monitors (
        slug TEXT PRIMARY KEY,
        definition TEXT NOT NULL,
        origin TEXT NOT NULL,
        created_at REAL NOT NULL,
        updated_at REAL NOT NULL,
        cursor TEXT NOT NULL
      );
      CREATE TABLE monitor_pings (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        slug TEXT NOT NULL,
        at REAL NOT NULL,
        type TEXT NOT NULL,
        run_id TEXT,
        exit_code INTEGER,
        source TEXT NOT NULL,
        body TEXT,
        detail TEXT NOT NULL
      );
      CREATE INDEX monitor_pings_slug ON monitor_pings (slug, seq);
      CREATE TABLE monitor_transitions (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        slug TEXT NOT NULL,
        at REAL NOT NULL,
        from_state TEXT NOT NULL,
        to_state TEXT NOT NULL,
        reason TEXT NOT NULL,
        run_id TEXT,
        exit_code INTEGER
      );
      CREATE INDEX monitor_transitions_slug ON monitor_transitions (slug, seq);
    `);
  },
];
