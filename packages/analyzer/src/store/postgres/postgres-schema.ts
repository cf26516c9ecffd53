import type { PgMigration } from './pg-migrate.js';

/**
 * The findings and alert tables on PostgreSQL, under the same component names as on SQLite
 * (`findings`, `alert_outbox`). Times are epoch milliseconds as DOUBLE PRECISION, as SQLite's REAL.
 * Append only: a released step never changes, a new need is a new step.
 */
export const PG_FINDINGS_MIGRATIONS: readonly PgMigration[] = [
  `CREATE TABLE findings (
    id TEXT PRIMARY KEY,
    type TEXT NOT NULL,
    key TEXT NOT NULL,
    status TEXT NOT NULL,
    severity TEXT NOT NULL,
    service TEXT,
    queue TEXT,
    worker TEXT,
    subject TEXT NOT NULL,
    summary TEXT NOT NULL,
    next_step TEXT NOT NULL,
    evidence TEXT NOT NULL,
    since DOUBLE PRECISION NOT NULL,
    first_seen DOUBLE PRECISION NOT NULL,
    last_seen DOUBLE PRECISION NOT NULL,
    resolved_at DOUBLE PRECISION,
    acknowledged_by TEXT,
    acknowledged_at DOUBLE PRECISION,
    snoozed_until DOUBLE PRECISION,
    reminded_at DOUBLE PRECISION,
    owner TEXT
  );
  CREATE INDEX findings_last_seen ON findings (last_seen DESC);
  CREATE INDEX findings_status ON findings (status, last_seen DESC);
  CREATE INDEX findings_type ON findings (type, last_seen DESC);
  CREATE INDEX findings_service_queue ON findings (service, queue, last_seen DESC);
  CREATE INDEX findings_worker ON findings (worker, last_seen DESC);
  CREATE INDEX findings_resolved_at ON findings (status, resolved_at);
  CREATE TABLE finding_transitions (
    seq BIGSERIAL PRIMARY KEY,
    finding_id TEXT NOT NULL,
    at DOUBLE PRECISION NOT NULL,
    from_status TEXT,
    to_status TEXT NOT NULL,
    summary TEXT NOT NULL,
    event TEXT,
    actor TEXT
  );
  CREATE INDEX finding_transitions_finding ON finding_transitions (finding_id, seq);`,
];

export const PG_ALERT_OUTBOX_MIGRATIONS: readonly PgMigration[] = [
  `CREATE TABLE alert_outbox (
    seq BIGSERIAL NOT NULL,
    id TEXT PRIMARY KEY,
    event_id TEXT NOT NULL,
    channel TEXT NOT NULL,
    finding_id TEXT NOT NULL,
    event TEXT NOT NULL,
    status TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    created_at DOUBLE PRECISION NOT NULL,
    next_attempt_at DOUBLE PRECISION NOT NULL,
    last_error TEXT,
    finished_at DOUBLE PRECISION,
    claimed_until DOUBLE PRECISION,
    claimed_by TEXT
  );
  CREATE INDEX alert_outbox_due ON alert_outbox (status, next_attempt_at);
  CREATE INDEX alert_outbox_finished ON alert_outbox (status, finished_at);
  CREATE INDEX alert_outbox_order ON alert_outbox (channel, finding_id, status, seq);
  CREATE TABLE alert_channels (
    name TEXT PRIMARY KEY,
    config TEXT NOT NULL,
    match TEXT,
    created_at DOUBLE PRECISION NOT NULL
  );`,
];
