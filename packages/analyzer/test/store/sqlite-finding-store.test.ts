import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FINDINGS_MIGRATIONS, FINDINGS_SCHEMA } from '../../src/store/finding-schema.js';
import { migrate } from '../../src/store/migrate.js';
import { openDatabase } from '../../src/store/open-database.js';
import { SqliteFindingStore } from '../../src/store/sqlite-finding-store.js';
import { makeFinding, makeOpening } from './make-finding.js';

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'joblens-store-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('SqliteFindingStore on disk', () => {
  it('finds its findings again after the database is reopened', async () => {
    const dir = tempDir();
    const first = new SqliteFindingStore(openDatabase(dir), { ownsDatabase: true });
    const finding = makeFinding();
    await first.save([finding], [makeOpening(finding)]);
    await first.close();
    const second = new SqliteFindingStore(openDatabase(dir), { ownsDatabase: true });
    expect(await second.get(finding.id)).toEqual(finding);
    expect(await second.transitions(finding.id)).toHaveLength(1);
    await second.close();
  });

  it('writes nothing of a save that fails halfway', async () => {
    const store = new SqliteFindingStore(openDatabase(tempDir()), { ownsDatabase: true });
    const good = makeFinding();
    const bad = { ...makeFinding(), evidence: { figures: {}, traces: [], detail: { loop: 1n } } };
    await expect(store.save([good, bad as never], [makeOpening(good)])).rejects.toThrow();
    expect(await store.get(good.id)).toBeUndefined();
    expect(await store.transitions(good.id)).toEqual([]);
    await store.close();
  });

  it('uses write-ahead logging with full synchronous commits', () => {
    const db = openDatabase(tempDir());
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(2);
    db.close();
  });
});

describe('SqliteFindingStore migration to the incident lifecycle', () => {
  it('keeps findings written before the lifecycle columns existed, and lets them be acknowledged', async () => {
    const dir = tempDir();
    const db = openDatabase(dir);
    migrate(db, FINDINGS_SCHEMA, FINDINGS_MIGRATIONS.slice(0, 1));
    db.prepare(
      `INSERT INTO findings (id, type, key, status, severity, subject, summary, next_step, evidence, since,
        first_seen, last_seen) VALUES ('old-1', 'mystery_gap', 'k', 'open', 'warning', '{}', 's', 'n',
        '{"figures":{},"traces":[]}', 1, 2, 3)`,
    ).run();
    db.close();
    const store = new SqliteFindingStore(openDatabase(dir), { ownsDatabase: true });
    const old = (await store.get('old-1'))!;
    expect(old.acknowledgedBy).toBeUndefined();
    await store.save([{ ...old, acknowledgedBy: 'bob', acknowledgedAt: 10 }], []);
    expect(await store.get('old-1')).toMatchObject({
      acknowledgedBy: 'bob',
      acknowledgedAt: 10,
      lastSeen: 3,
    });
    await store.close();
  });
});
