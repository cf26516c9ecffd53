import type { PgMigration } from '../store/postgres/pg-migrate.js';

/**
 * The monitors' tables on PostgreSQL, under the same component name as on SQLite (`monitors`). Times are
 * epoch milliseconds as DOUBLE PRECISION (a period of 0.3 s makes fractional deadlines); definitions and
 * cursors are JSON text, kept byte for byte so a config's definition compares equal after a restart.
 * Append only: a released step never changes, a new need is a new step.
 */
export const PG_MONITORS_MIGRATIONS: readonly PgMigration[] = [
  `CREATE TABLE monitors (
    slug TEXT PRIMARY KEY,
    definition TEXT NOT NULL,
    origin TEXT NOT NULL,
    created_at DOUBLE PRECISION NOT NULL,
    updated_at DOUBLE PRECISION NOT NULL,
    cursor TEXT NOT NULL
  );
  CREATE TABLE monitor_pings (
    seq BIGSERIAL PRIMARY KEY,
    slug TEXT NOT NULL,
    at DOUBLE PRECISION NOT NULL,
    type TEXT NOT NULL,
    run_id TEXT,
    exit_code INTEGER,
    source TEXT NOT NULL,
    body TEXT,
    detail TEXT NOT NULL
  );
  CREATE INDEX monitor_pings_slug ON monitor_pings (slug, seq);
  CREATE TABLE monitor_transitions (
    seq BIGSERIAL PRIMARY KEY,
    slug TEXT NOT NULL,
    at DOUBLE PRECISION NOT NULL,
    from_state TEXT NOT NULL,
    to_state TEXT NOT NULL,
    reason TEXT NOT NULL,
    run_id TEXT,
    exit_code INTEGER
  );
  CREATE INDEX monitor_transitions_slug ON monitor_transitions (slug, seq);`,
];
