import { describe, expect, it } from 'vitest';
import { HistoryRetention } from '../../src/history/history-retention.js';
import { SqliteHistoryStore } from '../../src/history/sqlite-history-store.js';
import { MemoryLogger } from '../../src/log/logger.js';
import { IN_MEMORY, openDatabase } from '../../src/store/open-database.js';
import { makeHistoryAttempt } from './make-history-attempt.js';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 0, 20);

describe('the history retention', () => {
  it('deletes the attempts that ended longer ago than the retention days, and keeps the newer', async () => {
    const store = new SqliteHistoryStore(openDatabase(IN_MEMORY), { ownsDatabase: true });
    await store.append([
      makeHistoryAttempt({ jobId: 'old', startMs: NOW - 8 * DAY, endMs: NOW - 8 * DAY + 1000 }),
      makeHistoryAttempt({ jobId: 'recent', startMs: NOW - 6 * DAY, endMs: NOW - 6 * DAY + 1000 }),
    ]);
    const retention = new HistoryRetention({
      store,
      clock: () => NOW,
      retentionDays: 7,
      maxBytes: 1024 ** 3,
    });

    expect(await retention.pruneNow()).toBe(1);
    expect((await store.searchJobs({})).jobs.map((job) => job.jobId)).toEqual(['recent']);
    await store.close();
  });

  it('deletes the oldest attempts past the size the history may take', async () => {
    const store = new SqliteHistoryStore(openDatabase(IN_MEMORY), { ownsDatabase: true });
    await store.append([
      makeHistoryAttempt({ jobId: 'first', startMs: NOW - 2000, endMs: NOW - 1000 }),
      makeHistoryAttempt({ jobId: 'second', startMs: NOW - 1000, endMs: NOW }),
    ]);
    const oneAttempt = (await store.sizeBytes()) / 2;
    const retention = new HistoryRetention({
      store,
      clock: () => NOW,
      retentionDays: 7,
      maxBytes: oneAttempt,
    });

    expect(await retention.pruneNow()).toBe(1);
    expect((await store.searchJobs({})).jobs.map((job) => job.jobId)).toEqual(['second']);
    await store.close();
  });

  it('logs a failed prune and tries again next time, instead of throwing into the timer', async () => {
    const db = openDatabase(IN_MEMORY);
    const store = new SqliteHistoryStore(db);
    db.close();
    const logger = new MemoryLogger();
    const retention = new HistoryRetention({
      store,
      clock: () => NOW,
      retentionDays: 7,
      maxBytes: 1024,
      logger,
    });

    expect(await retention.pruneNow()).toBe(0);
    expect(logger.lines).toEqual([
      { level: 'error', text: expect.stringMatching(/^pruning the job history failed: /) },
    ]);
  });
});
