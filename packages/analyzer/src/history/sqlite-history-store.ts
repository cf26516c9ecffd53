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
      spanStored: db.prepare('SELECT 1 FROM history_attempts WHERE trace_id = ? AND span_id = ?').pluck(),
      upsertJob: db
        .prepare(`
          INSERT INTO history_jobs (service, queue, job_id, job_name, attempts, last_attempt, last_outcome,
            first_start_ms, last_end_ms, last_worker, last_host, last_error_type, last_error_message, latest_trace_id)
          VALUES (@service, @queue, @jobId, @jobName, 1, @attempt, @outcome, @startMs, @endMs, @worker, @host,
            @errorType, @errorMessage, @traceId)
          ON CONFLICT (job_id, service, queue) DO UPDATE SET
            attempts = history_jobs.attempts + 1,
            last_attempt = max(history_jobs.last_attempt, excluded.last_attempt),
            first_start_ms = min(history_jobs.first_start_ms, excluded.first_start_ms),
            ${['job_name', 'last_outcome', 'last_worker', 'last_host', 'last_error_type', 'last_error_message', 'latest_trace_id'].map(IF_NEWER).join(',\n')},
            last_end_ms = max(history_jobs.last_end_ms, excluded.last_end_ms)
          RETURNING pk`)
        .pluck(),
      insertAttempt: db.prepare(`
        INSERT INTO history_attempts (job, attempt, worker, host, start_ms, end_ms, outcome, error_type,
          error_message, steps, gap_seconds, gap_location, trace_id, span_id, bytes)
        VALUES (@job, @attempt, @worker, @host, @startMs, @endMs, @outcome, @errorType, @errorMessage, @steps,
          @longestGapSeconds, @longestGapLocation, @traceId, @spanId, @bytes)`),
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

    this.appendAll = db.transaction((attempts: readonly HistoryAttempt[]) => {
      let added = 0;
      for (const attempt of attempts) {
        if (s.spanStored.get(attempt.traceId, attempt.spanId) !== undefined) continue;
        const steps = encodeSteps(attempt.steps);
        const bytes = estimateAttemptBytes(attempt, steps);
        const job = s.upsertJob.get({
          ...attempt,
          errorType: attempt.errorType ?? null,
          errorMessage: attempt.errorMessage ?? null,
        }) as number;
        s.insertAttempt.run({
          job,
          attempt: attempt.attempt,
          worker: attempt.worker,
          host: attempt.host,
          startMs: attempt.startMs,
          endMs: attempt.endMs,
          outcome: attempt.outcome,
          errorType: attempt.errorType ?? null,
          errorMessage: attempt.errorMessage ?? null,
          steps,
          longestGapSeconds: attempt.longestGapSeconds,
          longestGapLocation: attempt.longestGapLocation ?? null,
          traceId: attempt.traceId,
          spanId: attempt.spanId,
          bytes,
        });
        added += bytes;
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

function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
