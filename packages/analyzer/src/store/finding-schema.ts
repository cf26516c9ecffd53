import type { Migration } from './migrate.js';

/** Component name of the findings tables in `schema_versions`. */
export const FINDINGS_SCHEMA = 'findings';

/** Append only: a released step never changes, a new need is a new step. */
export const FINDINGS_MIGRATIONS: readonly Migration[] = [
  (db) => {
    db.exec(`
      CREATE TABLE findings (
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
        since REAL NOT NULL,
        first_seen REAL NOT NULL,
        last_seen REAL NOT NULL,
        resolved_at REAL
      );
      CREATE INDEX findings_last_seen ON findings (last_seen DESC);
      CREATE INDEX findings_status ON findings (status, last_seen DESC);
      CREATE INDEX findings_type ON findings (type, last_seen DESC);
      CREATE INDEX findings_service_queue ON findings (service, queue, last_seen DESC);
      CREATE INDEX findings_worker ON findings (worker, last_seen DESC);
      CREATE TABLE finding_transitions (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        finding_id TEXT NOT NULL,
        at REAL NOT NULL,
        from_status TEXT,
        to_status TEXT NOT NULL,
        summary TEXT NOT NULL
      );
      CREATE INDEX finding_transitions_finding ON finding_transitions (finding_id, seq);
    `);
  },
  // The incident lifecycle: who acknowledged and when, a snooze, the last reminder; and transitions that
  // record a person's action (acknowledged, snoozed) and who took it.
  (db) => {
    db.exec(`
      ALTER TABLE findings ADD COLUMN acknowledged_by TEXT;
      ALTER TABLE findings ADD COLUMN acknowledged_at REAL;
      ALTER TABLE findings ADD COLUMN snoozed_until REAL;
      ALTER TABLE findings ADD COLUMN reminded_at REAL;
      ALTER TABLE finding_transitions ADD COLUMN event TEXT;
      ALTER TABLE finding_transitions ADD COLUMN actor TEXT;
    `);
  },
  // Who recorded a finding's latest status change (the analyzer's instance name), so an analyzer sharing
  // the database takes back after a restart only the findings it raised; and pruning by resolution time.
  (db) => {
    db.exec(`
      ALTER TABLE findings ADD COLUMN owner TEXT;
      CREATE INDEX findings_resolved_at ON findings (status, resolved_at);
    `);
  },
];
