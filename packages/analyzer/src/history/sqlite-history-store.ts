import type Database from 'better-sqlite3';
import { migrate } from '../store/migrate.js';
import type { SqliteDatabase } from '../store/open-database.js';
import { fromJobRow, type JobRow, toJobPage } from './history-rows.js';
import {
  type HistoryAttempt,
  type HistoryRetention,
  type HistoryStore,
  type JobKey,
  type JobPage,
  type JobSearch,
  type JobSummary,
  MAX_JOB_ATTEMPTS,
} from './history-store.js';
import { byStartThenAttempt } from './job-attempt-order.js';
import { jobSearchSql } from './job-search-sql.js';
import {
  decodeAttempt,
  decodeAttempts,
  type EncodedAttempts,
  oneAttemptColumns,
  WIRE,
  WIRE_STRIDE,
  type WireValues,
} from './sqlite-attempt-wire.js';
import { HISTORY_MIGRATIONS, HISTORY_SCHEMA } from './sqlite-history-schema.js';
import {
  type EarlierAttempts,
  historyAttemptOfStored,
  type JobColumns,
  jobColumnsOf,
  keepNewest,
  mergeAttempts,
  type StoredAttempt,
} from './sqlite-job-attempts.js';
import { inWholeMillis } from './whole-millis.js';

/**
 * Jobs deleted (or retried jobs trimmed) per transaction when pruning. Small enough that the next append
 * waits a few milliseconds at most; between batches the event loop runs.
 */
const PRUNE_BATCH_JOBS = 1000;

/** A job id is unique within a queue, mostly; this bounds what one id may list across queues. */
const MAX_JOBS_BY_ID = 500;

/**
 * Rows per INSERT statement. One statement of 64 rows costs far less than 64 statements of one (each
 * step of a statement has its fixed cost), and 64 rows of 17 parameters stay far under SQLite's limit.
 */
const ROWS_PER_INSERT = 64;

/** The columns a search returns: everything but the attempts, which can be long. */
const JOB_COLUMNS = `pk, service, queue, job_id, job_name, attempts, last_attempt, last_outcome, first_start_ms,
  last_end_ms, last_worker, last_host, last_error_type, last_error_message, latest_trace_id`;

/** The columns that follow from a job's attempts, in the order of jobColumnParams. */
const DERIVED_COLUMNS = [
  'job_name',
  'attempts',
  'last_attempt',
  'last_outcome',
  'first_start_ms',
  'last_end_ms',
  'first_end_ms',
  'last_worker',
  'last_host',
  'last_error_type',
  'last_error_message',
  'latest_trace_id',
  'bytes',
  'attempt_rows',
];

interface StoredJob {
  pk: number;
  job_name: string;
  attempts: number;
  last_attempt: number;
  first_start_ms: number;
  first_end_ms: number;
  bytes: number;
  attempt_rows: string;
}

/**
 * Job history in a SQLite file (see HISTORY_MIGRATIONS for its layout). better-sqlite3 is synchronous,
 * so each method does its work at once inside one transaction and returns a settled promise; `prune()`
 * alone spreads over several transactions, giving the event loop a turn between batches.
 * The store does not own the database handle unless `ownsDatabase` is set.
 */
export class SqliteHistoryStore implements HistoryStore {
  private readonly appendAll: Database.Transaction<(jobs: readonly IncomingJob[]) => void>;
  private readonly pruneBatch: (select: 'age' | 'size', bound: number) => number;
  private readonly statements;

  constructor(
    private readonly db: SqliteDatabase,
    private readonly options: { ownsDatabase?: boolean } = {},
  ) {
    migrate(db, HISTORY_SCHEMA, HISTORY_MIGRATIONS);
    const s = {
      job: db.prepare(
        `SELECT pk, job_name, attempts, last_attempt, first_start_ms, first_end_ms, bytes, attempt_rows
         FROM history_jobs WHERE job_id = ? AND service = ? AND queue = ?`,
      ),
      updateJob: db.prepare(
        `UPDATE history_jobs SET ${DERIVED_COLUMNS.map((column) => `${column} = ?`).join(', ')} WHERE pk = ?`,
      ),
      addBytes: db.prepare('UPDATE history_size SET bytes = bytes + ? WHERE id = 1'),
      size: db.prepare('SELECT bytes FROM history_size WHERE id = 1').pluck(),
      jobsById: db.prepare(
        `SELECT ${JOB_COLUMNS} FROM history_jobs WHERE job_id = ? ORDER BY last_end_ms DESC, pk DESC LIMIT ${MAX_JOBS_BY_ID}`,
      ),
      deleteOlder: db.prepare(`
        DELETE FROM history_jobs WHERE pk IN (
          SELECT pk FROM history_jobs WHERE last_end_ms < ? ORDER BY last_end_ms LIMIT ${PRUNE_BATCH_JOBS})
        RETURNING attempts, bytes`),
      // Retried jobs whose latest attempt is within the retention but an earlier one is not.
      retriedOlder: db.prepare(`
        SELECT pk, job_name, attempts, bytes, attempt_rows FROM history_jobs
        WHERE attempts > 1 AND first_end_ms < ? LIMIT ${PRUNE_BATCH_JOBS}`),
      // The oldest jobs whose bytes, added up oldest first, just reach the excess: no more than that.
      deleteOldest: db.prepare(`
        DELETE FROM history_jobs WHERE pk IN (
          SELECT pk FROM (
            SELECT pk, sum(bytes) OVER (ORDER BY last_end_ms, pk) - bytes AS before
            FROM (SELECT pk, bytes, last_end_ms FROM history_jobs ORDER BY last_end_ms, pk
                  LIMIT ${PRUNE_BATCH_JOBS}))
          WHERE before < ?)
        RETURNING attempts, bytes`),
    };
    this.statements = s;

    const insertJobs = boundedInserts(db);
    // A job already stored: its attempts and the new ones, merged into its row. Returns the bytes added.
    const mergeIntoStored = (group: readonly HistoryAttempt[]): number => {
      const first = group[0];
      const stored = s.job.get(first.jobId, first.service, first.queue) as StoredJob | undefined;
      const before = stored === undefined ? [] : (JSON.parse(stored.attempt_rows) as StoredAttempt[]);
      const merged = mergeAttempts(before, group);
      if (merged.added === 0) return 0;
      const kept = keepNewest(
        merged.attempts,
        [...before.map(() => stored?.job_name ?? first.jobName), ...group.map((a) => a.jobName)],
        MAX_JOB_ATTEMPTS,
        stored && earlierAttemptsOf(stored, before.length),
      );
      const columns = jobColumnsOf(kept.attempts, kept.jobNames, kept.earlier);
      if (stored === undefined)
        insertJobs(1).run(first.service, first.queue, first.jobId, ...jobColumnParams(columns));
      else s.updateJob.run(...jobColumnParams(columns), stored.pk);
      return columns.bytes - (stored?.bytes ?? 0);
    };

    // Most attempts are their job's first: their rows go in by multi-row INSERTs that skip the jobs already
    // stored (and say which they took), with no lookup each; only the skipped ones are read and merged.
    this.appendAll = db.transaction((jobs: readonly IncomingJob[]) => {
      let addedBytes = 0;
      const stored: IncomingJob[] = [];
      for (let from = 0; from < jobs.length; from += ROWS_PER_INSERT) {
        const chunk = jobs.slice(from, from + ROWS_PER_INSERT);
        const params: unknown[] = [];
        for (const job of chunk)
          params.push(job.service, job.queue, job.jobId, ...jobColumnParams(job.columns));
        const inserted = insertJobs(chunk.length).all(params) as Array<
          Pick<JobRow, 'service' | 'queue' | 'job_id'>
        >;
        if (inserted.length === chunk.length) {
          for (const job of chunk) addedBytes += job.columns.bytes;
          continue;
        }
        const taken = new Set(inserted.map((row) => jobKey(row.service, row.queue, row.job_id)));
        for (const job of chunk) {
          if (taken.has(jobKey(job.service, job.queue, job.jobId))) addedBytes += job.columns.bytes;
          else stored.push(job);
        }
      }
      for (const job of stored) addedBytes += mergeIntoStored(job.attempts());
      if (addedBytes !== 0) s.addBytes.run(addedBytes);
    });

    this.pruneBatch = db.transaction((select: 'age' | 'size', bound: number) => {
      const deleted = (select === 'age' ? s.deleteOlder : s.deleteOldest).all(bound) as Array<{
        attempts: number;
        bytes: number;
      }>;
      let attempts = 0;
      let bytes = 0;
      for (const row of deleted) {
        attempts += row.attempts;
        bytes += row.bytes;
      }
      // Whole jobs older than the bound went first; what is left of a retried job keeps its newer attempts.
      if (select === 'age' && deleted.length < PRUNE_BATCH_JOBS) {
        // Attempts the row no longer keeps are older than all it keeps: they go too.
        for (const job of s.retriedOlder.all(bound) as StoredJob[]) {
          const all = JSON.parse(job.attempt_rows) as StoredAttempt[];
          const kept = all.filter((attempt) => attempt[4] >= bound);
          const columns = jobColumnsOf(
            kept,
            kept.map(() => job.job_name),
          );
          s.updateJob.run(...jobColumnParams(columns), job.pk);
          attempts += job.attempts - kept.length;
          bytes += job.bytes - columns.bytes;
        }
      }
      if (bytes !== 0) s.addBytes.run(-bytes);
      return attempts;
    });
  }

  /**
   * IMMEDIATE: the append reads before it writes, and a transaction that began reading when another
   * connection then committed gets SQLITE_BUSY at once; one that takes the write lock first waits its turn.
   * Inside a caller's transaction it is a savepoint, which costs a statement journal: the writer thread
   * calls it on its own.
   */
  async append(attempts: readonly HistoryAttempt[]): Promise<void> {
    if (attempts.length > 0)
      this.appendAll.immediate(
        byJob(attempts.map(inWholeMillis), (a) => jobKey(a.service, a.queue, a.jobId)).map(incomingJobOf),
      );
  }

  /** `append` of attempts encoded by encodeAttempts: what the writer thread is sent (see sqlite-attempt-wire.ts). */
  async appendEncoded(wire: EncodedAttempts): Promise<void> {
    if (wire.length > 0) this.appendAll.immediate(incomingJobsOfWire(decodeAttempts(wire)));
  }

  async searchJobs(search: JobSearch): Promise<JobPage> {
    const query = jobSearchSql(search, () => '?', 'LIKE');
    const rows = this.db
      .prepare(`SELECT ${JOB_COLUMNS} FROM history_jobs ${query.clauses}`)
      .all(...query.params) as JobRow[];
    return toJobPage(rows, query.limit);
  }

  async jobAttempts(job: JobKey): Promise<HistoryAttempt[]> {
    const row = this.statements.job.get(job.jobId, job.service, job.queue) as StoredJob | undefined;
    if (row === undefined) return [];
    const names = { service: job.service, queue: job.queue, jobId: job.jobId, jobName: row.job_name };
    return (JSON.parse(row.attempt_rows) as StoredAttempt[])
      .map((stored) => historyAttemptOfStored(names, stored))
      .sort(byStartThenAttempt);
  }

  async jobsById(jobId: string): Promise<JobSummary[]> {
    return (this.statements.jobsById.all(jobId) as JobRow[]).map(fromJobRow);
  }

  /**
   * By age, attempts that ended before the retention, and jobs left without any. By size, the oldest jobs
   * (by their latest attempt) whole, until the history fits: a job's attempts share one row.
   */
  async prune(retention: HistoryRetention): Promise<{ deletedAttempts: number }> {
    let deletedAttempts = 0;
    for (;;) {
      const deleted = this.pruneBatch('age', retention.olderThanMs);
      deletedAttempts += deleted;
      if (deleted === 0) break;
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

/** What a stored job's row counts beyond the attempts it keeps (`kept` of them). */
function earlierAttemptsOf(stored: StoredJob, kept: number): EarlierAttempts | undefined {
  if (stored.attempts <= kept) return undefined;
  return {
    count: stored.attempts - kept,
    lastAttempt: stored.last_attempt,
    firstStartMs: stored.first_start_ms,
    firstEndMs: stored.first_end_ms,
  };
}

/** A job as a batch brings it, before it is known whether its row exists already. */
interface IncomingJob {
  service: string;
  queue: string;
  jobId: string;
  /** Its row's columns, were these its only attempts. */
  columns: JobColumns;
  /** Its attempts, to merge into the row it has. */
  attempts(): readonly HistoryAttempt[];
}

function incomingJobOf(group: readonly HistoryAttempt[]): IncomingJob {
  const merged = mergeAttempts([], group);
  const kept = keepNewest(
    merged.attempts,
    group.map((a) => a.jobName),
    MAX_JOB_ATTEMPTS,
    undefined,
  );
  const first = group[0];
  return {
    service: first.service,
    queue: first.queue,
    jobId: first.jobId,
    columns: jobColumnsOf(kept.attempts, kept.jobNames, kept.earlier),
    attempts: () => group,
  };
}

/**
 * The jobs of an encoded batch, in the order each first appears. A job with one attempt in the batch (most
 * of them) takes its columns straight from the wire; one with more is decoded and built as `append` does.
 */
function incomingJobsOfWire(wire: WireValues): IncomingJob[] {
  const offsets = Array.from({ length: wire.length / WIRE_STRIDE }, (_, i) => i * WIRE_STRIDE);
  const groups = byJob(offsets, (at) =>
    jobKey(
      wire[at + WIRE.service] as string,
      wire[at + WIRE.queue] as string,
      wire[at + WIRE.jobId] as string,
    ),
  );
  return groups.map((group): IncomingJob => {
    if (group.length > 1) return incomingJobOf(group.map((at) => decodeAttempt(wire, at)));
    const at = group[0];
    return {
      service: wire[at + WIRE.service] as string,
      queue: wire[at + WIRE.queue] as string,
      jobId: wire[at + WIRE.jobId] as string,
      columns: oneAttemptColumns(wire, at),
      attempts: () => [decodeAttempt(wire, at)],
    };
  });
}

/** One string per job, for maps. */
function jobKey(service: string, queue: string, jobId: string): string {
  return `${service}\u0000${queue}\u0000${jobId}`;
}

/** Items grouped by their job's key, in the order each job first appears. */
function byJob<T>(items: readonly T[], keyOf: (item: T) => string): T[][] {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const group = groups.get(key);
    if (group === undefined) groups.set(key, [item]);
    else group.push(item);
  }
  return [...groups.values()];
}

/** The derived columns' values, in DERIVED_COLUMNS' order. */
function jobColumnParams(columns: JobColumns): unknown[] {
  return [
    columns.jobName,
    columns.attempts,
    columns.lastAttempt,
    columns.lastOutcome,
    columns.firstStartMs,
    columns.lastEndMs,
    columns.firstEndMs,
    columns.lastWorker,
    columns.lastHost,
    columns.lastErrorType,
    columns.lastErrorMessage,
    columns.latestTraceId,
    columns.bytes,
    columns.attemptsJson,
  ];
}

/**
 * The multi-row INSERTs of new jobs, prepared once per row count: ROWS_PER_INSERT rows, or the fewer a
 * batch ends with, so at most ROWS_PER_INSERT statements. A job already stored is skipped; the rows
 * returned are the jobs inserted.
 */
function boundedInserts(db: SqliteDatabase): (count: number) => Database.Statement {
  const inserts = new Map<number, Database.Statement>();
  const row = `(${Array.from({ length: 3 + DERIVED_COLUMNS.length }, () => '?').join(', ')})`;
  return (count) => {
    let statement = inserts.get(count);
    if (statement === undefined) {
      statement = db.prepare(
        `INSERT INTO history_jobs (service, queue, job_id, ${DERIVED_COLUMNS.join(', ')})
         VALUES ${Array.from({ length: count }, () => row).join(', ')}
         ON CONFLICT (job_id, service, queue) DO NOTHING
         RETURNING service, queue, job_id`,
      );
      inserts.set(count, statement);
    }
    return statement;
  };
}

function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
