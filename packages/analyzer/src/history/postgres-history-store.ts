import { schemaOnFirstUse } from '../store/postgres/ensure-schema.js';
import { inTransaction, type PgClient, type PgPool } from '../store/postgres/open-postgres.js';
import { estimateAttemptBytes } from './attempt-bytes.js';
import {
  type AttemptRow,
  encodeSteps,
  fromAttemptRow,
  fromJobRow,
  type JobRow,
  toJobPage,
} from './history-rows.js';
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
import { PG_HISTORY_MIGRATIONS, PG_HISTORY_SCHEMA } from './postgres-history-schema.js';
import { inWholeMillis } from './whole-millis.js';

/**
 * Attempts deleted per transaction when pruning. Small enough that the next append waits a few
 * milliseconds at most.
 */
const PRUNE_BATCH_ATTEMPTS = 1000;

/** A job id is unique within a queue, mostly; this bounds what one id may list across queues. */
const MAX_JOBS_BY_ID = 500;
/** Held (per transaction) by the analyzer pruning the history, so that the others skip rather than repeat it. */
const PRUNE_LOCK_KEY = 0x6a6f6268; // "jobh"

// One statement per batch whatever its size: columns travel as arrays and unnest() turns them into rows,
// which also keeps clear of the 65,535 parameters a statement may bind.
const INSERT_ATTEMPTS = `
  INSERT INTO history_attempts (trace_id, span_id, service, queue, job_id, job_name, attempt, worker, host,
    start_ms, end_ms, outcome, error_type, error_message, steps, gap_seconds, gap_location, bytes)
  SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::int[],
    $8::text[], $9::text[], $10::bigint[], $11::bigint[], $12::text[], $13::text[], $14::text[], $15::text[],
    $16::float8[], $17::text[], $18::int[])
  ON CONFLICT (trace_id, span_id) DO NOTHING
  RETURNING trace_id, span_id`;

const IF_NEWER = (column: string) =>
  `${column} = CASE WHEN excluded.last_end_ms >= j.last_end_ms THEN excluded.${column} ELSE j.${column} END`;

/** Adds new attempts to their jobs; the latest state is that of the attempt that ended last (ties: last write). */
const UPSERT_JOBS = `
  INSERT INTO history_jobs AS j (job_id, service, queue, job_name, attempts, last_attempt, last_outcome,
    first_start_ms, last_end_ms, last_worker, last_host, last_error_type, last_error_message, latest_trace_id)
  SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::int[], $6::int[], $7::text[],
    $8::bigint[], $9::bigint[], $10::text[], $11::text[], $12::text[], $13::text[], $14::text[])
  ON CONFLICT (job_id, service, queue) DO UPDATE SET
    attempts = j.attempts + excluded.attempts,
    last_attempt = greatest(j.last_attempt, excluded.last_attempt),
    first_start_ms = least(j.first_start_ms, excluded.first_start_ms),
    ${['job_name', 'last_outcome', 'last_worker', 'last_host', 'last_error_type', 'last_error_message', 'latest_trace_id'].map(IF_NEWER).join(',\n    ')},
    last_end_ms = greatest(j.last_end_ms, excluded.last_end_ms)`;

const DELETE_OLDER = `
  DELETE FROM history_attempts a USING (
    SELECT trace_id, span_id FROM history_attempts WHERE end_ms < $1 ORDER BY end_ms LIMIT ${PRUNE_BATCH_ATTEMPTS}
  ) d
  WHERE a.trace_id = d.trace_id AND a.span_id = d.span_id
  RETURNING a.job_id, a.service, a.queue, a.bytes`;

/** The oldest attempts whose bytes, added up oldest first, just reach the excess ($1): no more than that. */
const DELETE_OLDEST = `
  DELETE FROM history_attempts a USING (
    SELECT trace_id, span_id, sum(bytes) OVER (ORDER BY end_ms, trace_id, span_id) - bytes AS before
    FROM (SELECT trace_id, span_id, bytes, end_ms FROM history_attempts ORDER BY end_ms
          LIMIT ${PRUNE_BATCH_ATTEMPTS}) o
  ) d
  WHERE a.trace_id = d.trace_id AND a.span_id = d.span_id AND d.before < $1
  RETURNING a.job_id, a.service, a.queue, a.bytes`;

/**
 * Takes pruned attempts off their jobs. Job rows are locked in key order first, the order in which
 * `append` upserts them, so that a prune and an append on another analyzer never wait on each other in a
 * circle; jobs left without attempts go.
 */
const FORGET_ATTEMPTS = `
  WITH gone AS (SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::int[]) AS g(job_id, service, queue, n)),
  locked AS (
    SELECT j.pk, gone.n FROM history_jobs j JOIN gone USING (job_id, service, queue)
    ORDER BY j.job_id COLLATE "C", j.service COLLATE "C", j.queue COLLATE "C"
    FOR UPDATE OF j
  )
  UPDATE history_jobs j SET attempts = j.attempts - locked.n FROM locked WHERE j.pk = locked.pk
  RETURNING j.pk, j.attempts`;

interface NewAttempt {
  attempt: HistoryAttempt;
  steps: string;
  bytes: number;
}

/**
 * Job history in PostgreSQL, shared by every analyzer on the database. An append is one transaction:
 * one multi-row insert of the attempts that skips those already stored (by trace id + span id, whoever
 * stored them), then one upsert of their jobs counting only the attempts that were new. Attempts and jobs
 * are written in key order, so two analyzers appending the same jobs queue behind each other instead of
 * deadlocking. The schema is migrated on first use (or by `open()`), as PostgreSQL may be down at start.
 */
export class PostgresHistoryStore implements HistoryStore {
  private readonly ensureSchema: () => Promise<void>;

  constructor(
    private readonly pool: PgPool,
    private readonly options: { ownsPool?: boolean } = {},
  ) {
    this.ensureSchema = schemaOnFirstUse(pool, [[PG_HISTORY_SCHEMA, PG_HISTORY_MIGRATIONS]]);
  }

  /** A store whose schema is migrated already. */
  static async open(pool: PgPool, options: { ownsPool?: boolean } = {}): Promise<PostgresHistoryStore> {
    const store = new PostgresHistoryStore(pool, options);
    await store.init();
    return store;
  }

  init(): Promise<void> {
    return this.ensureSchema();
  }

  async append(attempts: readonly HistoryAttempt[]): Promise<void> {
    if (attempts.length === 0) return;
    await this.ensureSchema();
    const byKey = new Map<string, NewAttempt>();
    for (const attempt of attempts.map(inWholeMillis)) {
      const steps = encodeSteps(attempt.steps);
      byKey.set(spanKey(attempt.traceId, attempt.spanId), {
        attempt,
        steps,
        bytes: estimateAttemptBytes(attempt, steps),
      });
    }
    const sorted = [...byKey.values()].sort((x, y) =>
      compareKeys([x.attempt.traceId, x.attempt.spanId], [y.attempt.traceId, y.attempt.spanId]),
    );
    await inTransaction(this.pool, async (client) => {
      const inserted = await client.query<{ trace_id: string; span_id: string }>(
        INSERT_ATTEMPTS,
        attemptColumns(sorted),
      );
      if (inserted.rows.length === 0) return;
      const fresh = inserted.rows.map((row) => byKey.get(spanKey(row.trace_id, row.span_id)) as NewAttempt);
      await client.query(UPSERT_JOBS, jobColumns(fresh.map((f) => f.attempt)));
      await addBytes(
        client,
        fresh.reduce((sum, f) => sum + f.bytes, 0),
      );
    });
  }

  async searchJobs(search: JobSearch): Promise<JobPage> {
    const query = jobSearchSql(search, (n) => `$${n}`, 'ILIKE');
    await this.ensureSchema();
    const { rows } = await this.pool.query<JobRow>(
      `SELECT * FROM history_jobs ${query.clauses}`,
      query.params,
    );
    return toJobPage(rows, query.limit);
  }

  async jobAttempts(job: JobKey): Promise<HistoryAttempt[]> {
    await this.ensureSchema();
    const { rows } = await this.pool.query<AttemptRow>(
      `SELECT service, queue, job_id, job_name, attempt, worker, host, start_ms, end_ms, outcome, error_type,
         error_message, steps, gap_seconds, gap_location, trace_id, span_id
       FROM history_attempts WHERE job_id = $1 AND service = $2 AND queue = $3
       ORDER BY end_ms DESC, start_ms DESC, attempt DESC LIMIT ${MAX_JOB_ATTEMPTS}`,
      [job.jobId, job.service, job.queue],
    );
    return rows.map(fromAttemptRow).sort(byStartThenAttempt);
  }

  async jobsById(jobId: string): Promise<JobSummary[]> {
    await this.ensureSchema();
    const { rows } = await this.pool.query<JobRow>(
      `SELECT * FROM history_jobs WHERE job_id = $1 ORDER BY last_end_ms DESC, pk DESC LIMIT ${MAX_JOBS_BY_ID}`,
      [jobId],
    );
    return rows.map(fromJobRow);
  }

  /**
   * Deletes in batches of PRUNE_BATCH_ATTEMPTS, one short transaction each, so that appends wait
   * milliseconds at most. While another analyzer prunes, this one leaves it to that one.
   */
  async prune(retention: HistoryRetention): Promise<{ deletedAttempts: number }> {
    await this.ensureSchema();
    let deletedAttempts = 0;
    for (;;) {
      const deleted = await this.pruneBatch(DELETE_OLDER, Math.floor(retention.olderThanMs));
      if (deleted === undefined) return { deletedAttempts };
      deletedAttempts += deleted;
      if (deleted < PRUNE_BATCH_ATTEMPTS) break;
    }
    for (;;) {
      const excess = (await this.sizeBytes()) - retention.maxBytes;
      if (excess <= 0) break;
      const deleted = await this.pruneBatch(DELETE_OLDEST, excess);
      if (deleted === undefined || deleted === 0) break;
      deletedAttempts += deleted;
    }
    return { deletedAttempts };
  }

  async sizeBytes(): Promise<number> {
    await this.ensureSchema();
    const { rows } = await this.pool.query<{ bytes: number }>('SELECT bytes FROM history_size WHERE id = 1');
    return rows[0]?.bytes ?? 0;
  }

  async close(): Promise<void> {
    if (this.options.ownsPool) await this.pool.end();
  }

  /** Attempts deleted, or undefined when another analyzer is pruning. */
  private pruneBatch(deleteSql: string, bound: number): Promise<number | undefined> {
    return inTransaction(this.pool, async (client) => {
      const lock = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_xact_lock($1) AS locked', [
        PRUNE_LOCK_KEY,
      ]);
      if (!lock.rows[0].locked) return undefined;
      const { rows } = await client.query<{ job_id: string; service: string; queue: string; bytes: number }>(
        deleteSql,
        [bound],
      );
      if (rows.length === 0) return 0;
      const perJob = new Map<string, { jobId: string; service: string; queue: string; n: number }>();
      let bytes = 0;
      for (const row of rows) {
        const key = jobKey(row.job_id, row.service, row.queue);
        const entry = perJob.get(key) ?? { jobId: row.job_id, service: row.service, queue: row.queue, n: 0 };
        entry.n++;
        perJob.set(key, entry);
        bytes += row.bytes;
      }
      const gone = [...perJob.values()];
      const updated = await client.query<{ pk: number; attempts: number }>(FORGET_ATTEMPTS, [
        gone.map((g) => g.jobId),
        gone.map((g) => g.service),
        gone.map((g) => g.queue),
        gone.map((g) => g.n),
      ]);
      const empty = updated.rows.filter((row) => row.attempts <= 0).map((row) => row.pk);
      if (empty.length > 0) {
        await client.query('DELETE FROM history_jobs WHERE pk = ANY($1::bigint[]) AND attempts <= 0', [
          empty,
        ]);
      }
      await addBytes(client, -bytes);
      return rows.length;
    });
  }
}

function addBytes(client: PgClient, bytes: number): Promise<unknown> {
  return client.query('UPDATE history_size SET bytes = bytes + $1 WHERE id = 1', [bytes]);
}

const spanKey = (traceId: string, spanId: string) => `${traceId}\n${spanId}`;
const jobKey = (jobId: string, service: string, queue: string) => `${jobId}\n${service}\n${queue}`;

/** Code-unit order, which is PostgreSQL's `COLLATE "C"` order for all but astral characters. */
function compareKeys(x: readonly string[], y: readonly string[]): number {
  for (let i = 0; i < x.length; i++) {
    if (x[i] !== y[i]) return x[i] < y[i] ? -1 : 1;
  }
  return 0;
}

function attemptColumns(rows: readonly NewAttempt[]): unknown[][] {
  const column = <T>(pick: (row: NewAttempt) => T) => rows.map(pick);
  return [
    column((r) => r.attempt.traceId),
    column((r) => r.attempt.spanId),
    column((r) => r.attempt.service),
    column((r) => r.attempt.queue),
    column((r) => r.attempt.jobId),
    column((r) => r.attempt.jobName),
    column((r) => r.attempt.attempt),
    column((r) => r.attempt.worker),
    column((r) => r.attempt.host),
    column((r) => r.attempt.startMs),
    column((r) => r.attempt.endMs),
    column((r) => r.attempt.outcome),
    column((r) => r.attempt.errorType ?? null),
    column((r) => r.attempt.errorMessage ?? null),
    column((r) => r.steps),
    column((r) => r.attempt.longestGapSeconds),
    column((r) => r.attempt.longestGapLocation ?? null),
    column((r) => r.bytes),
  ];
}

/** One row per job touched by new attempts: how many, and the state of the one that ended last. */
function jobColumns(fresh: readonly HistoryAttempt[]): unknown[][] {
  const jobs = new Map<
    string,
    { latest: HistoryAttempt; count: number; maxAttempt: number; firstStart: number }
  >();
  for (const attempt of fresh) {
    const key = jobKey(attempt.jobId, attempt.service, attempt.queue);
    const job = jobs.get(key);
    if (!job) {
      jobs.set(key, { latest: attempt, count: 1, maxAttempt: attempt.attempt, firstStart: attempt.startMs });
      continue;
    }
    job.count++;
    job.maxAttempt = Math.max(job.maxAttempt, attempt.attempt);
    job.firstStart = Math.min(job.firstStart, attempt.startMs);
    if (attempt.endMs >= job.latest.endMs) job.latest = attempt;
  }
  const rows = [...jobs.values()].sort((x, y) =>
    compareKeys(
      [x.latest.jobId, x.latest.service, x.latest.queue],
      [y.latest.jobId, y.latest.service, y.latest.queue],
    ),
  );
  const column = <T>(pick: (row: (typeof rows)[number]) => T) => rows.map(pick);
  return [
    column((r) => r.latest.jobId),
    column((r) => r.latest.service),
    column((r) => r.latest.queue),
    column((r) => r.latest.jobName),
    column((r) => r.count),
    column((r) => r.maxAttempt),
    column((r) => r.latest.outcome),
    column((r) => r.firstStart),
    column((r) => r.latest.endMs),
    column((r) => r.latest.worker),
    column((r) => r.latest.host),
    column((r) => r.latest.errorType ?? null),
    column((r) => r.latest.errorMessage ?? null),
    column((r) => r.latest.traceId),
  ];
}
