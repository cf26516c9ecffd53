import type { PgMigration } from '../store/postgres/pg-migrate.js';
import { HAS_LATEST_ERROR } from './job-search-sql.js';

export const PG_HISTORY_SCHEMA = 'history';

/**
 * The PostgreSQL twin of sqlite-history-schema.ts, with one difference: attempts carry their job's
 * service, queue and id rather than the job's key. Analyzers insert attempts first and learn from
 * `ON CONFLICT DO NOTHING … RETURNING` which ones are new, before they touch (and lock) any job row.
 * B-tree indexes end in `pk` as well so that the keyset `(last_end_ms, pk) < (…)` is one index range.
 */
export const PG_HISTORY_MIGRATIONS: PgMigration[] = [
  `
  CREATE TABLE history_jobs (
    pk BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    service TEXT NOT NULL,
    queue TEXT NOT NULL,
    job_id TEXT NOT NULL,
    job_name TEXT NOT NULL,
    attempts INTEGER NOT NULL,
    last_attempt INTEGER NOT NULL,
    last_outcome TEXT NOT NULL,
    first_start_ms BIGINT NOT NULL,
    last_end_ms BIGINT NOT NULL,
    last_worker TEXT NOT NULL,
    last_host TEXT NOT NULL,
    last_error_type TEXT,
    last_error_message TEXT,
    latest_trace_id TEXT NOT NULL
  );
  CREATE UNIQUE INDEX history_jobs_key ON history_jobs (job_id, service, queue);
  CREATE INDEX history_jobs_recent ON history_jobs (last_end_ms, pk);
  CREATE INDEX history_jobs_name ON history_jobs (job_name, last_end_ms, pk);
  CREATE INDEX history_jobs_queue ON history_jobs (queue, last_end_ms, pk);
  CREATE INDEX history_jobs_worker ON history_jobs (last_worker, last_end_ms, pk);
  CREATE INDEX history_jobs_outcome ON history_jobs (last_outcome, last_end_ms, pk);
  CREATE INDEX history_jobs_errored ON history_jobs (last_end_ms, pk) WHERE ${HAS_LATEST_ERROR};

  CREATE TABLE history_attempts (
    trace_id TEXT NOT NULL,
    span_id TEXT NOT NULL,
    service TEXT NOT NULL,
    queue TEXT NOT NULL,
    job_id TEXT NOT NULL,
    job_name TEXT NOT NULL,
    attempt INTEGER NOT NULL,
    worker TEXT NOT NULL,
    host TEXT NOT NULL,
    start_ms BIGINT NOT NULL,
    end_ms BIGINT NOT NULL,
    outcome TEXT NOT NULL,
    error_type TEXT,
    error_message TEXT,
    steps TEXT NOT NULL,
    gap_seconds DOUBLE PRECISION NOT NULL,
    gap_location TEXT,
    bytes INTEGER NOT NULL,
    PRIMARY KEY (trace_id, span_id)
  );
  CREATE INDEX history_attempts_job ON history_attempts (job_id, service, queue, start_ms);
  CREATE INDEX history_attempts_end ON history_attempts (end_ms);

  -- The running total of the attempts' estimated bytes (see estimateAttemptBytes): the tables' own size
  -- does not shrink when rows are deleted, so it could not tell pruning when to stop.
  CREATE TABLE history_size (id INTEGER PRIMARY KEY CHECK (id = 1), bytes BIGINT NOT NULL);
  INSERT INTO history_size (id, bytes) VALUES (1, 0);
  `,
];
