import type { Migration } from '../store/migrate.js';
import { HAS_LATEST_ERROR } from './job-search-sql.js';

export const HISTORY_SCHEMA = 'history';

/**
 * Jobs hold each job's latest state, so that searches read one row per job; attempts point at their job
 * by its integer key rather than repeating service, queue and job id (millions of rows). Searching by id
 * (the unique key) and by name (an index that ends in `last_end_ms`, and the rowid implicitly) is a short
 * walk whatever the cursor. The other filters (queue, worker, outcome, error substring, time range) walk
 * `history_jobs_recent` newest first and stop once a page matched: fast for filters that many recent jobs
 * match, slower for one that matches only old or rare jobs. That is the price of cheap writes: each index
 * of the jobs is changed by every attempt (see the second migration).
 */
export const HISTORY_MIGRATIONS: Migration[] = [
  (db) =>
    db.exec(`
      CREATE TABLE history_jobs (
        pk INTEGER PRIMARY KEY,
        service TEXT NOT NULL,
        queue TEXT NOT NULL,
        job_id TEXT NOT NULL,
        job_name TEXT NOT NULL,
        attempts INTEGER NOT NULL,
        last_attempt INTEGER NOT NULL,
        last_outcome TEXT NOT NULL,
        first_start_ms INTEGER NOT NULL,
        last_end_ms INTEGER NOT NULL,
        last_worker TEXT NOT NULL,
        last_host TEXT NOT NULL,
        last_error_type TEXT,
        last_error_message TEXT,
        latest_trace_id TEXT NOT NULL
      );
      CREATE UNIQUE INDEX history_jobs_key ON history_jobs (job_id, service, queue);
      CREATE INDEX history_jobs_recent ON history_jobs (last_end_ms);
      CREATE INDEX history_jobs_name ON history_jobs (job_name, last_end_ms);
      CREATE INDEX history_jobs_queue ON history_jobs (queue, last_end_ms);
      CREATE INDEX history_jobs_worker ON history_jobs (last_worker, last_end_ms);
      CREATE INDEX history_jobs_outcome ON history_jobs (last_outcome, last_end_ms);
      CREATE INDEX history_jobs_errored ON history_jobs (last_end_ms) WHERE ${HAS_LATEST_ERROR};

      CREATE TABLE history_attempts (
        job INTEGER NOT NULL,
        attempt INTEGER NOT NULL,
        worker TEXT NOT NULL,
        host TEXT NOT NULL,
        start_ms INTEGER NOT NULL,
        end_ms INTEGER NOT NULL,
        outcome TEXT NOT NULL,
        error_type TEXT,
        error_message TEXT,
        steps TEXT NOT NULL,
        gap_seconds REAL NOT NULL,
        gap_location TEXT,
        trace_id TEXT NOT NULL,
        span_id TEXT NOT NULL,
        bytes INTEGER NOT NULL
      );
      CREATE UNIQUE INDEX history_attempts_span ON history_attempts (trace_id, span_id);
      CREATE INDEX history_attempts_job ON history_attempts (job, start_ms);
      CREATE INDEX history_attempts_end ON history_attempts (end_ms);

      -- The running total of the attempts' estimated bytes (see estimateAttemptBytes).
      CREATE TABLE history_size (id INTEGER PRIMARY KEY CHECK (id = 1), bytes INTEGER NOT NULL);
      INSERT INTO history_size (id, bytes) VALUES (1, 0);
    `),
  // Writes cost what their indexes cost: every attempt changed each of the jobs' seven, and at tens of
  // thousands of attempts a second the writer could not keep up. Only a job's id and name must be found
  // at once among millions; queue, worker, outcome and error now walk history_jobs_recent newest first
  // and stop at a page's worth of matches. The attempts' unique index of trace and span ids went too:
  // random keys, each commit rewrote pages all over it; an attempt already stored is now looked for
  // among its job's attempts (the store's spanStored).
  (db) =>
    db.exec(`
      DROP INDEX history_jobs_queue;
      DROP INDEX history_jobs_worker;
      DROP INDEX history_jobs_outcome;
      DROP INDEX history_jobs_errored;
      DROP INDEX history_attempts_span;
    `),
];
