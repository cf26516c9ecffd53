/**
 * history_query_ms_10m: how long finding a job takes in a SQLite job history that holds 10 million
 * attempts (5 million jobs of two attempts each, 50 job names, 10 queues).
 * - `history_query_ms_10m_by_id`: median ms of `jobsById` for a random job id.
 * - `history_query_ms_10m_by_name`: median ms of the first page (50 jobs, newest first) of
 *   `searchJobs({ name })`, half of them ending before a random time, so that the pages come from all over
 *   the index and not only its warm newest end.
 * - `history_query_ms_10m`: the larger of the two; the goal is under 100 ms. The `_p95_` figures are the
 *   95th percentiles of the same queries.
 * The history is filled by SQL straight into the store's tables (a fill through `append` would take ten
 * minutes and measure nothing asked here), then the file is closed and opened again as the analyzer opens
 * it (WAL, default cache), and the queries go through SqliteHistoryStore. JOBLENS_BENCH_HISTORY_ATTEMPTS
 * sets another size for a quick run; the figures' names then say that size.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { SqliteHistoryStore } from '../src/history/sqlite-history-store.js';
import { DATABASE_FILE_NAME, openDatabase } from '../src/store/open-database.js';

const ATTEMPTS = Number(process.env.JOBLENS_BENCH_HISTORY_ATTEMPTS ?? 10_000_000);
const ATTEMPTS_PER_JOB = 2;
const JOBS = Math.floor(ATTEMPTS / ATTEMPTS_PER_JOB);
const NAMES = 50;
const QUERIES = 400;
const FILL_CHUNK_JOBS = 500_000;
const T0 = 1_760_000_000_000;
/** Jobs end 100 ms apart: 5 million jobs span about six days, inside the default 7-day retention. */
const JOB_SPACING_MS = 100;

/** The same steps for every attempt: their content does not matter here, their size (the file's) does. */
const STEPS = JSON.stringify([
  ['fetch', T0, T0 + 1000],
  ['upload', T0 + 1000, T0 + 4000],
]);

const sizeName =
  ATTEMPTS >= 1_000_000 ? `${Math.round(ATTEMPTS / 1_000_000)}m` : `${Math.round(ATTEMPTS / 1000)}k`;
const log = (line: string) => process.stderr.write(`history-query: ${line}\n`);

/** One attempt of job i in the store's JSON form (StoredAttempt): attempt k (1-based), trace `2i + k - 1`. */
function attemptJson(k: 1 | 2): string {
  const endMs = `${T0} + i * ${JOB_SPACING_MS} - ${(2 - k) * 60000}`;
  // The first attempt failed and was retried, the second failed for good in one job out of twenty.
  const failed = k === 1 ? 'TRUE' : 'i % 20 = 0';
  return `json_array(${k}, 'worker-' || ((i + ${k}) % 100), 'host-' || ((i + ${k}) % 20), ${endMs} - 5000, ${endMs},
      ${k === 1 ? "'retry_scheduled'" : "CASE WHEN i % 20 = 0 THEN 'failed' ELSE 'completed' END"},
      CASE WHEN ${failed} THEN 'TimeoutError' END,
      CASE WHEN ${failed} THEN 'upstream did not answer within 5000 ms' END,
      json('${STEPS}'), 0.8, 'fetch->upload', printf('%032x', 2 * i + ${k - 1}), printf('%016x', 2 * i + ${k - 1}))`;
}

/** The rows of jobs [from, to): each with its latest state and both its attempts. */
function fillChunk(db: Database.Database, from: number, to: number): void {
  db.exec(`
    WITH RECURSIVE n(i) AS (SELECT ${from} UNION ALL SELECT i + 1 FROM n WHERE i + 1 < ${to}),
    j(i, attempt_rows) AS (SELECT i, json_array(${attemptJson(1)}, ${attemptJson(2)}) FROM n)
    INSERT INTO history_jobs (pk, service, queue, job_id, job_name, attempts, last_attempt, last_outcome,
      first_start_ms, last_end_ms, last_worker, last_host, last_error_type, last_error_message, latest_trace_id,
      first_end_ms, bytes, attempt_rows)
    SELECT i + 1, 'billing', 'queue-' || (i % 10), '' || (1000000 + i * 7), 'job-name-' || (i % ${NAMES}),
      2, 2, CASE WHEN i % 20 = 0 THEN 'failed' ELSE 'completed' END,
      ${T0} + i * ${JOB_SPACING_MS} - 65000, ${T0} + i * ${JOB_SPACING_MS},
      'worker-' || ((i + 2) % 100), 'host-' || ((i + 2) % 20),
      CASE WHEN i % 20 = 0 THEN 'TimeoutError' END,
      CASE WHEN i % 20 = 0 THEN 'upstream did not answer within 5000 ms' END,
      printf('%032x', 2 * i + 1), ${T0} + i * ${JOB_SPACING_MS} - 60000, 160 + length(attempt_rows), attempt_rows
    FROM j`);
}

function fill(dir: string): void {
  const db = new Database(join(dir, DATABASE_FILE_NAME));
  // A throwaway file: no journal, no fsync, a large cache for the indexes being built.
  db.pragma('journal_mode = OFF');
  db.pragma('synchronous = OFF');
  db.pragma('cache_size = -1048576');
  db.pragma('temp_store = MEMORY');
  // CREATE INDEX sorts on as many threads as it is given.
  db.pragma('threads = 2');
  new SqliteHistoryStore(db);
  // Indexes built once over the filled tables (a sort) cost a fraction of updating them row by row. They are
  // the store's own: their SQL is read back from the schema and run again after the fill.
  const indexes = db
    .prepare(
      "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name LIKE 'history_%' AND sql IS NOT NULL",
    )
    .all() as Array<{ name: string; sql: string }>;
  for (const index of indexes) db.exec(`DROP INDEX ${index.name}`);
  const started = performance.now();
  for (let from = 0; from < JOBS; from += FILL_CHUNK_JOBS) {
    const to = Math.min(JOBS, from + FILL_CHUNK_JOBS);
    db.transaction(() => fillChunk(db, from, to))();
    log(`filled ${to * ATTEMPTS_PER_JOB} attempts in ${((performance.now() - started) / 1000).toFixed(0)} s`);
  }
  for (const index of indexes) db.exec(index.sql);
  log(`indexed in ${((performance.now() - started) / 1000).toFixed(0)} s`);
  db.prepare('UPDATE history_size SET bytes = (SELECT sum(bytes) FROM history_jobs) WHERE id = 1').run();
  db.close();
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))];
}

const randomJob = () => Math.floor(Math.random() * JOBS);

async function measure(store: SqliteHistoryStore) {
  const byId: number[] = [];
  const byName: number[] = [];
  for (let q = 0; q < QUERIES; q++) {
    const jobId = String(1_000_000 + randomJob() * 7);
    let started = performance.now();
    const jobs = await store.jobsById(jobId);
    byId.push(performance.now() - started);
    if (jobs.length !== 1) throw new Error(`job ${jobId}: found ${jobs.length} jobs, expected 1`);

    // Far enough from the oldest jobs that every name still has a full page before toMs.
    const toMs =
      q % 2 === 0 ? undefined : T0 + (NAMES * 100 + (randomJob() % (JOBS - NAMES * 100))) * JOB_SPACING_MS;
    started = performance.now();
    const page = await store.searchJobs({ name: `job-name-${q % NAMES}`, toMs });
    byName.push(performance.now() - started);
    if (page.jobs.length === 0 || !page.nextCursor)
      throw new Error(`name search found ${page.jobs.length} jobs`);
  }
  return { byId, byName };
}

const dir = mkdtempSync(join(tmpdir(), 'joblens-history-bench-'));
try {
  log(`filling ${ATTEMPTS} attempts of ${JOBS} jobs into ${dir}`);
  fill(dir);
  log(`file: ${(statSync(join(dir, DATABASE_FILE_NAME)).size / 2 ** 30).toFixed(2)} GiB`);
  const store = new SqliteHistoryStore(openDatabase(dir), { ownsDatabase: true });
  await measure(store); // warm-up: the first queries of a fresh connection read the schema
  const { byId, byName } = await measure(store);
  await store.close();
  const id50 = percentile(byId, 50);
  const name50 = percentile(byName, 50);
  const figure = (value: number) => value.toFixed(3);
  console.log(`history_query_ms_${sizeName}_by_id: ${figure(id50)}`);
  console.log(`history_query_ms_${sizeName}_by_name: ${figure(name50)}`);
  console.log(`history_query_ms_${sizeName}: ${figure(Math.max(id50, name50))}`);
  console.log(`history_query_p95_ms_${sizeName}_by_id: ${figure(percentile(byId, 95))}`);
  console.log(`history_query_p95_ms_${sizeName}_by_name: ${figure(percentile(byName, 95))}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
