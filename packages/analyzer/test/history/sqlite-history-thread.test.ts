import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ThreadedSqliteHistoryStore } from '../../src/history/sqlite-history-thread.js';
import { IN_MEMORY, openDatabase } from '../../src/store/open-database.js';
import { describeHistoryStoreContract } from './history-store-contract.js';
import { makeHistoryAttempt } from './make-history-attempt.js';

describeHistoryStoreContract('ThreadedSqliteHistoryStore', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'joblens-history-thread-'));
  const db = openDatabase(dir);
  // The analyzer's database outlives the store: closed here once the store's thread is.
  const store = new (class extends ThreadedSqliteHistoryStore {
    override async close(): Promise<void> {
      await super.close();
      db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  })(db);
  return { store, openPeer: async () => new ThreadedSqliteHistoryStore(db) };
});

describe('ThreadedSqliteHistoryStore', () => {
  it('writes from another thread what the analyzer reads on its own connection at once', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'joblens-history-thread-'));
    const db = openDatabase(dir);
    const store = new ThreadedSqliteHistoryStore(db);
    try {
      const attempt = makeHistoryAttempt();
      await store.append([attempt]);
      const row = db.prepare('SELECT trace_id FROM history_attempts').get() as { trace_id: string };
      expect(row.trace_id).toBe(attempt.traceId);
    } finally {
      await store.close();
      db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a database in memory, which no other thread can open', () => {
    const db = openDatabase(IN_MEMORY);
    expect(() => new ThreadedSqliteHistoryStore(db)).toThrow(/database file/);
    db.close();
  });
});
