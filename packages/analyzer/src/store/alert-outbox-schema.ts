import type { Migration } from './migrate.js';

/** Component name of the alert outbox table in `schema_versions`. */
export const ALERT_OUTBOX_SCHEMA = 'alert_outbox';

/** Append only: a released step never changes, a new need is a new step. */
export const ALERT_OUTBOX_MIGRATIONS: readonly Migration[] = [
  (db) => {
    db.exec(`
      CREATE TABLE alert_outbox (
        id TEXT PRIMARY KEY,
        event_id TEXT NOT NULL,
        channel TEXT NOT NULL,
        event TEXT NOT NULL,
        status TEXT NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        created_at REAL NOT NULL,
        next_attempt_at REAL NOT NULL,
        last_error TEXT,
        finished_at REAL
      );
      CREATE INDEX alert_outbox_due ON alert_outbox (status, next_attempt_at);
      CREATE INDEX alert_outbox_finished ON alert_outbox (status, finished_at);
    `);
  },
  // Channels created through the API (config-file channels live in the config file).
  (db) => {
    db.exec(`
      CREATE TABLE alert_channels (
        name TEXT PRIMARY KEY,
        config TEXT NOT NULL,
        match TEXT,
        created_at REAL NOT NULL
      );
    `);
  },
  // A finding's events go out to each channel in the order they happened: a PagerDuty resolve must not
  // overtake the trigger still being retried, or the incident it opens afterwards never closes.
  (db) => {
    db.exec(`
      ALTER TABLE alert_outbox ADD COLUMN finding_id TEXT;
      UPDATE alert_outbox SET finding_id = json_extract(event, '$.finding.id');
      CREATE INDEX alert_outbox_order ON alert_outbox (channel, finding_id, status);
    `);
  },
  // A claim's lease, so the delivery loop's contract matches the shared PostgreSQL outbox's (which several
  // analyzers read at once): a claimed row is not handed out again until its lease ends.
  (db) => {
    db.exec('ALTER TABLE alert_outbox ADD COLUMN claimed_until REAL;');
  },
];
