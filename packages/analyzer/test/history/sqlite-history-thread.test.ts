import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  HISTORY_FILE_NAME,
  HISTORY_WRITER_NICENESS,
  ThreadedSqliteHistoryStore,
} from '../../src/history/sqlite-history-thread.js';
import { describeHistoryStoreContract } from './history-store-contract.js';
import { makeHistoryAttempt } from './make-history-attempt.js';

describeHistoryStoreContract('ThreadedSqliteHistoryStore', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'joblens-history-thread-'));
  // The data directory goes once the store's thread let go of it.
  const store = new (class extends ThreadedSqliteHistoryStore {
    override async close(): Promise<void> {
      await super.close();
      rmSync(dir, { recursive: true, force: true });
    }
  })(dir);
  // A second analyzer on the same directory would be a second writer thread: the thread waits its turn.
  return { store, openPeer: async () => new ThreadedSqliteHistoryStore(dir) };
});

describe('ThreadedSqliteHistoryStore', () => {
  it('keeps the history in history.db, readable only by its user, and finds it there after a restart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'joblens-history-thread-'));
    try {
      const attempt = makeHistoryAttempt();
      const first = new ThreadedSqliteHistoryStore(dir);
      await first.append([attempt]);
      await first.close();
      expect(statSync(join(dir, HISTORY_FILE_NAME)).mode & 0o777).toBe(0o600);

      const again = new ThreadedSqliteHistoryStore(dir);
      expect(await again.jobAttempts(attempt)).toEqual([attempt]);
      await again.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it.runIf(process.platform === 'linux')('writes from a thread that yields its core to ingest', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'joblens-history-thread-'));
    const store = new ThreadedSqliteHistoryStore(dir);
    try {
      const before = threadsAtNice(HISTORY_WRITER_NICENESS);
      await store.append([makeHistoryAttempt()]);
      // More than one when run from sources: the thread's TypeScript loader has a thread of its own.
      expect(threadsAtNice(HISTORY_WRITER_NICENESS)).toBeGreaterThan(before);
      expect(threadsAtNice(0)).toBeGreaterThan(0);
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

/** This process's threads whose nice value is `nice` (field 19 of /proc/<pid>/task/<tid>/stat). */
function threadsAtNice(nice: number): number {
  let count = 0;
  for (const tid of readdirSync('/proc/self/task')) {
    try {
      const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      // Fields after the command name, which may hold spaces, start at the third.
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]) === nice) count += 1;
    } catch {
      // The thread ended while being listed.
    }
  }
  return count;
}
