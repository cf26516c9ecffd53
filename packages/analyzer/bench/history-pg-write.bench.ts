/**
 * history_pg_attempts_per_sec: attempts per second that PostgresHistoryStore.append stores into PostgreSQL
 * (127.0.0.1:5432, a throwaway database), in batches of 500 as the history writer sends them, one batch
 * after another. Each job has two attempts that arrive in different batches, so that half the job upserts
 * update a row rather than insert one. The figure is the median of several rounds' rates, after a warm-up.
 * JOBLENS_BENCH_HISTORY_PG_BATCHES sets the batches per round.
 */
import { createTestDatabase } from '@joblens/test-utils';
import type { HistoryAttempt } from '../src/history/history-store.js';
import { PostgresHistoryStore } from '../src/history/postgres-history-store.js';
import { openPostgres } from '../src/store/postgres/open-postgres.js';

const BATCH = 500;
const BATCHES_PER_ROUND = Number(process.env.JOBLENS_BENCH_HISTORY_PG_BATCHES ?? 40);
const ROUNDS = 5;
const T0 = 1_760_000_000_000;

let serial = 0;
/** Attempt `attempt` of job `job`: the first one failed and was retried, the second completed. */
function attemptOf(job: number, attempt: number): HistoryAttempt {
  const span = serial++;
  const endMs = T0 + job * 10 + attempt * 60_000;
  return {
    service: 'billing',
    queue: `queue-${job % 10}`,
    jobName: `job-name-${job % 50}`,
    jobId: String(1_000_000 + job),
    attempt,
    worker: `worker-${job % 100}`,
    host: `host-${job % 20}`,
    startMs: endMs - 5000,
    endMs,
    outcome: attempt === 1 ? 'retry_scheduled' : 'completed',
    ...(attempt === 1 && {
      errorType: 'TimeoutError',
      errorMessage: 'upstream did not answer within 5000 ms',
    }),
    steps: [
      { name: 'fetch', startMs: endMs - 5000, endMs: endMs - 4000 },
      { name: 'upload', startMs: endMs - 4000, endMs: endMs - 1000 },
    ],
    longestGapSeconds: 0.8,
    longestGapLocation: 'fetch->upload',
    traceId: span.toString(16).padStart(32, '0'),
    spanId: span.toString(16).padStart(16, '0'),
  };
}

/** A batch: the second attempts of the previous batch's jobs, and the first attempts of new ones. */
function* batches(): Generator<HistoryAttempt[]> {
  let nextJob = 0;
  let retried: number[] = [];
  for (;;) {
    const batch = retried.map((job) => attemptOf(job, 2));
    const fresh: number[] = [];
    while (batch.length < BATCH) {
      fresh.push(nextJob);
      batch.push(attemptOf(nextJob++, 1));
    }
    retried = fresh;
    yield batch;
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

const database = await createTestDatabase('joblens_bench_history');
const pool = openPostgres(database.url);
try {
  const store = await PostgresHistoryStore.open(pool);
  const source = batches();
  const next = () => source.next().value as HistoryAttempt[];
  for (let i = 0; i < 10; i++) await store.append(next());
  const rates: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const work = Array.from({ length: BATCHES_PER_ROUND }, next);
    const started = performance.now();
    for (const batch of work) await store.append(batch);
    const rate = (BATCHES_PER_ROUND * BATCH) / ((performance.now() - started) / 1000);
    rates.push(rate);
    process.stderr.write(`history-pg-write: round ${round + 1}: ${Math.round(rate)} attempts/s\n`);
  }
  console.log(`history_pg_attempts_per_sec: ${Math.round(median(rates))}`);
} finally {
  await pool.end();
  await database.drop();
}
