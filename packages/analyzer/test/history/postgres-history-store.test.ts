import { createTestDatabase, type TestDatabase } from '@joblens/test-utils';
import { afterAll, beforeAll } from 'vitest';
import { PostgresHistoryStore } from '../../src/history/postgres-history-store.js';
import { openPostgres } from '../../src/store/postgres/open-postgres.js';
import { describeHistoryStoreContract } from './history-store-contract.js';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase('joblens_history');
});
afterAll(async () => {
  await database?.drop();
});

describeHistoryStoreContract('PostgresHistoryStore', async () => {
  const store = await PostgresHistoryStore.open(openPostgres(database.url), { ownsPool: true });
  // Each test starts from an empty history on the file's one database.
  const pool = openPostgres(database.url);
  await pool.query('TRUNCATE history_jobs, history_attempts; UPDATE history_size SET bytes = 0');
  await pool.end();
  // A second pool is a second analyzer: its appends run truly at the same time as the first's.
  return {
    store,
    openPeer: () => PostgresHistoryStore.open(openPostgres(database.url), { ownsPool: true }),
  };
});
