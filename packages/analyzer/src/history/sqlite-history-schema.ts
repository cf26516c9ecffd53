import type { Migration } from '../store/migrate.js';

export const HISTORY_SCHEMA = 'history';

/**
 * One row per job: its latest state in columns, for searches to read and filter, and all its attempts
 * in `attempt_rows` (a JSON array, see StoredAttempt). Most jobs run once, so a finished attempt usually
 * costs one row and its entries in the indexes below; a table of attempts beside the jobs cost a second
 * row, two more indexes and a lookup of the job for each attempt, which made the writer fall behind
 * ingest at tens of thousands of attempts a second.
 *
 * Searching by id (the unique key) and by name (an index that ends in `last_end_ms`, and the rowid
 * implicitly) is a short walk whatever the cursor. The other filters (queue, worker, outcome, error
 * substring, time range) walk `history_jobs_recent` newest first and stop once a page matched: fast for
 * filters that many recent jobs match, slower for one that matches only old or rare jobs. That is the
 * price of cheap writes: every index is changed by every job.
 *
 * `first_end_ms` is when the job's oldest attempt ended; pruning by age finds the retried jobs that keep
 * an attempt older than the retention through a partial index that single-attempt jobs never enter.
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
        latest_trace_id TEXT NOT NULL,
        first_end_ms INTEGER NOT NULL,
        bytes INTEGER NOT NULL,
        attempt_rows TEXT NOT NULL
      );
      CREATE UNIQUE INDEX history_jobs_key ON history_jobs (job_id, service, queue);
      CREATE INDEX history_jobs_recent ON history_jobs (last_end_ms);
      CREATE INDEX history_jobs_name ON history_jobs (job_name, last_end_ms);
      CREATE INDEX history_jobs_retried ON history_jobs (first_end_ms) WHERE attempts > 1;

      -- The running total of the jobs' estimated bytes (see jobColumnsOf).
      CREATE TABLE history_size (id INTEGER PRIMARY KEY CHECK (id = 1), bytes INTEGER NOT NULL);
      INSERT INTO history_size (id, bytes) VALUES (1, 0);
    `),
];
