import type Database from 'better-sqlite3';
import { migrate } from '../store/migrate.js';
import type { SqliteDatabase } from '../store/open-database.js';
import { estimateAttemptBytes } from './attempt-bytes.js';
import {
  type AttemptRow,
  encodeSteps,
  fromAttemptRow,
  fromJobRow,
  type JobRow,
  toJobPage,
} from './history-rows.js';
import type {
  HistoryAttempt,
  HistoryRetention,
  HistoryStore,
  JobKey,
  JobPage,
  JobSearch,
  JobSummary,
} from './history-store.js';
import { jobSearchSql } from './job-search-sql.js';
import { HISTORY_MIGRATIONS, HISTORY_SCHEMA } from './sqlite-history-schema.js';

/**
 * Attempts deleted per transaction when pruning. Small enough that ingest's next write waits a few
 * milliseconds at most; between batches the event loop runs.
 */
export const PRUNE_BATCH_ATTEMPTS = 1000;

/** A job id is unique within a queue, mostly; this bounds what one id may list across queues. */
const MAX_JOBS_BY_ID = 500;

/**
 * Rows per INSERT statement. One statement of 64 rows costs far less than 64 statements of one (each
 * step of a statement has its fixed cost), and 64 rows of 17 parameters stay far under SQLite's limit.
 */
const ROWS_PER_INSERT = 64;

/** The attempt's job becomes its latest when it ended at or after the stored latest (ties: newest write). */
const IF_NEWER = (column: string) =>
  `${column} = CASE WHEN excluded.last_end_ms >= history_jobs.last_end_ms THEN excluded.${column} ELSE history_jobs.${column} END`;

/**
 * Job history in the analyzer's SQLite file. better-sqlite3 is synchronous, so each method does its work
 * at once inside one transaction and returns a settled promise; `prune()` alone spreads over several
 * transactions, giving the event loop a turn between batches.
 * The store does not own the database handle unless `ownsDatabase` is set: findings share the file.
 */
export class SqliteHistoryStore implements HistoryStore {
  private readonly appendAll: (attempts: readonly HistoryAttempt[]) => void;
  private readonly pruneBatch: (select: 'age' | 'size', bound: number) => number;
  private readonly statements;

  constructor(
    private readonly db: SqliteDatabase,
    private readonly options: { ownsDatabase?: boolean } = {},
  ) {
    migrate(db, HISTORY_SCHEMA, HISTORY_MIGRATIONS);
    const s = {
      // Through the attempt's job (an attempt's span always names the same job): the few attempts of one
      // job are found by index, where an index of random trace ids would take a write all over the file.
      spanStored: db
        .prepare(`
          SELECT 1 FROM history_attempts
          WHERE job = (SELECT pk FROM history_jobs WHERE job_id = ? AND service = ? AND queue = ?)
            AND trace_id = ? AND span_id = ?`)
        .pluck(),
      addBytes: db.prepare('UPDATE history_size SET bytes = bytes + ? WHERE id = 1'),
      size: db.prepare('SELECT bytes FROM history_size WHERE id = 1').pluck(),
      jobAttempts: db.prepare(`
        SELECT j.service, j.queue, j.job_id, j.job_name, a.attempt, a.worker, a.host, a.start_ms, a.end_ms,
          a.outcome, a.error_type, a.error_message, a.steps, a.gap_seconds, a.gap_location, a.trace_id, a.span_id
        FROM history_jobs j JOIN history_attempts a ON a.job = j.pk
        WHERE j.job_id = ? AND j.service = ? AND j.queue = ?
        ORDER BY a.start_ms, a.attempt`),
      jobsById: db.prepare(
        `SELECT * FROM history_jobs WHERE job_id = ? ORDER BY last_end_ms DESC, pk DESC LIMIT ${MAX_JOBS_BY_ID}`,
      ),
      deleteOlder: db.prepare(`
        DELETE FROM history_attempts WHERE rowid IN (
          SELECT rowid FROM history_attempts WHERE end_ms < ? ORDER BY end_ms LIMIT ${PRUNE_BATCH_ATTEMPTS})
        RETURNING job, bytes`),
      // The oldest attempts whose bytes, added up oldest first, just reach the excess: no more than that.
      deleteOldest: db.prepare(`
        DELETE FROM history_attempts WHERE rowid IN (
          SELECT id FROM (
            SELECT id, sum(bytes) OVER (ORDER BY end_ms, id) - bytes AS before
            FROM (SELECT rowid AS id, bytes, end_ms FROM history_attempts ORDER BY end_ms, rowid
                  LIMIT ${PRUNE_BATCH_ATTEMPTS}))
          WHERE before < ?)
        RETURNING job, bytes`),
      forgetAttempts: db.prepare('UPDATE history_jobs SET attempts = attempts - ? WHERE pk = ?'),
      dropEmptyJob: db.prepare('DELETE FROM history_jobs WHERE pk = ? AND attempts <= 0'),
    };
    this.statements = s;

    const insertRows = boundedStatements(db);
    this.appendAll = db.transaction((attempts: readonly HistoryAttempt[]) => {
      const fresh = newAttempts(
        attempts,
        (a) => s.spanStored.get(a.jobId, a.service, a.queue, a.traceId, a.spanId) !== undefined,
      );
      let added = 0;
      for (let from = 0; from < fresh.length; from += ROWS_PER_INSERT) {
        const rows = fresh.slice(from, from + ROWS_PER_INSERT);
        // The jobs first, all of them: each attempt's row then finds its job's key by the unique index.
        insertRows.upsertJobs(rows.length).run(jobParams(rows));
        const params: unknown[] = [];
        for (const attempt of rows) {
          const steps = encodeSteps(attempt.steps);
          const bytes = estimateAttemptBytes(attempt, steps);
          params.push(
            attempt.jobId,
            attempt.service,
            attempt.queue,
            attempt.attempt,
            attempt.worker,
            attempt.host,
            attempt.startMs,
            attempt.endMs,
            attempt.outcome,
            attempt.errorType ?? null,
            attempt.errorMessage ?? null,
            steps,
            attempt.longestGapSeconds,
            attempt.longestGapLocation ?? null,
            attempt.traceId,
            attempt.spanId,
            bytes,
          );
          added += bytes;
        }
        insertRows.insertAttempts(rows.length).run(params);
      }
      if (added > 0) s.addBytes.run(added);
    });

    this.pruneBatch = db.transaction((select: 'age' | 'size', bound: number) => {
      const deleted = (select === 'age' ? s.deleteOlder : s.deleteOldest).all(bound) as Array<{
        job: number;
        bytes: number;
      }>;
      const perJob = new Map<number, number>();
      let bytes = 0;
      for (const row of deleted) {
        perJob.set(row.job, (perJob.get(row.job) ?? 0) + 1);
        bytes += row.bytes;
      }
      for (const [job, count] of perJob) {
        s.forgetAttempts.run(count, job);
        s.dropEmptyJob.run(job);
      }
      if (bytes > 0) s.addBytes.run(-bytes);
      return deleted.length;
    });
  }

  async append(attempts: readonly HistoryAttempt[]): Promise<void> {
    if (attempts.length > 0) this.appendAll(attempts);
  }

  async searchJobs(search: JobSearch): Promise<JobPage> {
    const query = jobSearchSql(search, () => '?', 'LIKE');
    const rows = this.db
      .prepare(`SELECT * FROM history_jobs ${query.clauses}`)
      .all(...query.params) as JobRow[];
    return toJobPage(rows, query.limit);
  }

  async jobAttempts(job: JobKey): Promise<HistoryAttempt[]> {
    const rows = this.statements.jobAttempts.all(job.jobId, job.service, job.queue) as AttemptRow[];
    return rows.map(fromAttemptRow);
  }

  async jobsById(jobId: string): Promise<JobSummary[]> {
    return (this.statements.jobsById.all(jobId) as JobRow[]).map(fromJobRow);
  }

  async prune(retention: HistoryRetention): Promise<{ deletedAttempts: number }> {
    let deletedAttempts = 0;
    for (;;) {
      const deleted = this.pruneBatch('age', retention.olderThanMs);
      deletedAttempts += deleted;
      if (deleted < PRUNE_BATCH_ATTEMPTS) break;
      await nextTurn();
    }
    for (;;) {
      const excess = (this.statements.size.get() as number) - retention.maxBytes;
      if (excess <= 0) break;
      const deleted = this.pruneBatch('size', excess);
      deletedAttempts += deleted;
      if (deleted === 0) break;
      await nextTurn();
    }
    return { deletedAttempts };
  }

  async sizeBytes(): Promise<number> {
    return this.statements.size.get() as number;
  }

  async close(): Promise<void> {
    if (this.options.ownsDatabase) this.db.close();
  }
}

/** The attempts not stored yet, each once (a batch may carry one span twice). */
function newAttempts(
  attempts: readonly HistoryAttempt[],
  isStored: (attempt: HistoryAttempt) => boolean,
): HistoryAttempt[] {
  const seen = new Set<string>();
  const fresh: HistoryAttempt[] = [];
  for (const attempt of attempts) {
    const key = `${attempt.traceId}/${attempt.spanId}`;
    if (seen.has(key) || isStored(attempt)) continue;
    seen.add(key);
    fresh.push(attempt);
  }
  return fresh;
}

function jobParams(rows: readonly HistoryAttempt[]): unknown[] {
  const params: unknown[] = [];
  for (const a of rows)
    params.push(
      a.service,
      a.queue,
      a.jobId,
      a.jobName,
      a.attempt,
      a.outcome,
      a.startMs,
      a.endMs,
      a.worker,
      a.host,
      a.errorType ?? null,
      a.errorMessage ?? null,
      a.traceId,
    );
  return params;
}

/**
 * The multi-row INSERTs of jobs and attempts, prepared once per row count: ROWS_PER_INSERT rows, or the
 * fewer a batch ends with, so at most ROWS_PER_INSERT of each.
 */
function boundedStatements(db: SqliteDatabase) {
  const upserts = new Map<number, Database.Statement>();
  const inserts = new Map<number, Database.Statement>();
  const repeat = (row: string, count: number) => Array.from({ length: count }, () => row).join(', ');
  return {
    upsertJobs(count: number): Database.Statement {
      let statement = upserts.get(count);
      if (statement === undefined) {
        // Rows of one statement are inserted in order: a later attempt of a job in the same statement
        // meets the row of the earlier one and updates it, as it would in a statement of its own.
        statement = db.prepare(`
          INSERT INTO history_jobs (service, queue, job_id, job_name, attempts, last_attempt, last_outcome,
            first_start_ms, last_end_ms, last_worker, last_host, last_error_type, last_error_message, latest_trace_id)
          VALUES ${repeat('(?, ?, ?, ?, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?)', count)}
          ON CONFLICT (job_id, service, queue) DO UPDATE SET
            attempts = history_jobs.attempts + 1,
            last_attempt = max(history_jobs.last_attempt, excluded.last_attempt),
            first_start_ms = min(history_jobs.first_start_ms, excluded.first_start_ms),
            ${['job_name', 'last_outcome', 'last_worker', 'last_host', 'last_error_type', 'last_error_message', 'latest_trace_id'].map(IF_NEWER).join(',\n')},
            last_end_ms = max(history_jobs.last_end_ms, excluded.last_end_ms)`);
        upserts.set(count, statement);
      }
      return statement;
    },
    insertAttempts(count: number): Database.Statement {
      let statement = inserts.get(count);
      if (statement === undefined) {
        const row = `((SELECT pk FROM history_jobs WHERE job_id = ? AND service = ? AND queue = ?),
          ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;
        statement = db.prepare(`
          INSERT INTO history_attempts (job, attempt, worker, host, start_ms, end_ms, outcome, error_type,
            error_message, steps, gap_seconds, gap_location, trace_id, span_id, bytes)
          VALUES ${repeat(row, count)}`);
        inserts.set(count, statement);
      }
      return statement;
    },
  };
}

function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
