import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { HAS_LATEST_ERROR } from '../../src/history/job-search-sql.js';
import { SqliteHistoryStore } from '../../src/history/sqlite-history-store.js';
import { IN_MEMORY, openDatabase } from '../../src/store/open-database.js';
import { describeHistoryStoreContract } from './history-store-contract.js';
import { makeHistoryAttempt } from './make-history-attempt.js';

describeHistoryStoreContract('SqliteHistoryStore', async () => {
  const db = openDatabase(IN_MEMORY);
  // The peer shares the handle: one SQLite file has one writer, and the analyzer opens it once.
  const store = new SqliteHistoryStore(db, { ownsDatabase: true });
  return { store, openPeer: async () => new SqliteHistoryStore(db) };
});

describe('SqliteHistoryStore', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('keeps the history when the analyzer opens its database again', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'joblens-history-'));
    dirs.push(dir);
    const attempt = makeHistoryAttempt();
    const first = new SqliteHistoryStore(openDatabase(dir), { ownsDatabase: true });
    await first.append([attempt]);
    await first.close();

    const again = new SqliteHistoryStore(openDatabase(dir), { ownsDatabase: true });
    expect(await again.jobAttempts(attempt)).toEqual([attempt]);
    expect((await again.jobsById('42'))[0].attempts).toBe(1);
    expect(await again.sizeBytes()).toBeGreaterThan(0);
    await again.close();
  });

  // Speed with 10 million attempts is measured by `pnpm bench` (history_query_ms_10m); what a test can
  // hold is that no search sorts the whole table, whatever the filter: id and name have indexes of their
  // own, the other filters walk the newest-first index and stop at a page (writes pay for every index).
  it.each([
    ['no filter', '', 'recent'],
    ['a name', "WHERE job_name = 'x'", 'name'],
    ['a name, after a cursor', "WHERE job_name = 'x' AND (last_end_ms, pk) < (5, 3)", 'name'],
    ['a queue', "WHERE queue = 'x'", 'recent'],
    ['a worker', "WHERE last_worker = 'x'", 'recent'],
    ['an outcome', "WHERE last_outcome = 'failed'", 'recent'],
    ['a time range', 'WHERE last_end_ms >= 1 AND last_end_ms < 2', 'recent'],
    [
      'an error',
      `WHERE ${HAS_LATEST_ERROR} AND (last_error_type LIKE '%x%' OR last_error_message LIKE '%x%')`,
      'recent',
    ],
  ])('searches by %s through an index, newest first without sorting', (_what, where, index) => {
    expect(searchPlan(where)).toMatch(new RegExp(`USING INDEX history_jobs_${index}\\b`));
    expect(searchPlan(where)).not.toMatch(/TEMP B-TREE/);
  });

  it('searches by an id through the unique index of jobs (an id names a job or a few)', () => {
    expect(searchPlan("WHERE job_id = 'x'")).toMatch(/USING INDEX history_jobs_key \(job_id=\?\)/);
  });

  it('keeps a job and its attempts in one row: a finished attempt changes one table and its four indexes', () => {
    const db = openDatabase(IN_MEMORY);
    new SqliteHistoryStore(db);
    const indexes = db
      .prepare("SELECT tbl_name, name FROM sqlite_master WHERE type = 'index' AND tbl_name LIKE 'history%'")
      .all();
    db.close();
    expect(indexes).toEqual([
      { tbl_name: 'history_jobs', name: 'history_jobs_key' },
      { tbl_name: 'history_jobs', name: 'history_jobs_recent' },
      { tbl_name: 'history_jobs', name: 'history_jobs_name' },
      { tbl_name: 'history_jobs', name: 'history_jobs_retried' },
    ]);
  });

  function searchPlan(where: string): string {
    const db = openDatabase(IN_MEMORY);
    new SqliteHistoryStore(db);
    const plan = db
      .prepare(
        `EXPLAIN QUERY PLAN SELECT * FROM history_jobs ${where} ORDER BY last_end_ms DESC, pk DESC LIMIT 51`,
      )
      .all()
      .map((row) => (row as { detail: string }).detail)
      .join('\n');
    db.close();
    return plan;
  }
});
