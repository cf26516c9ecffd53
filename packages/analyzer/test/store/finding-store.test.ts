import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { FindingStore } from '../../src/findings/finding-store.js';
import { MemoryFindingStore } from '../../src/store/memory-finding-store.js';
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

const stores: Array<[string, () => FindingStore]> = [
  ['SqliteFindingStore', () => new SqliteFindingStore(openDatabase(tempDir()), { ownsDatabase: true })],
  ['MemoryFindingStore', () => new MemoryFindingStore()],
];

describe.each(stores)('%s', (_name, createStore) => {
  it('gives back a saved finding exactly as it was saved', () => {
    const store = createStore();
    const finding = makeFinding({ resolvedAt: undefined });
    store.save([finding], [makeOpening(finding)]);
    expect(store.get(finding.id)).toEqual(finding);
    expect(store.get('no-such-id')).toBeUndefined();
    store.close();
  });

  it('updates a finding in place and keeps every transition in order', () => {
    const store = createStore();
    const finding = makeFinding();
    store.save([finding], [makeOpening(finding)]);
    const resolved = {
      ...finding,
      status: 'resolved' as const,
      lastSeen: finding.lastSeen + 60_000,
      resolvedAt: finding.lastSeen + 60_000,
    };
    store.save(
      [resolved],
      [
        {
          findingId: finding.id,
          at: resolved.resolvedAt,
          from: 'open',
          to: 'resolved',
          summary: 'gap no longer seen',
        },
      ],
    );
    expect(store.get(finding.id)).toEqual(resolved);
    expect(store.transitions(finding.id).map((t) => [t.from, t.to])).toEqual([
      [null, 'open'],
      ['open', 'resolved'],
    ]);
    expect(store.open()).toEqual([]);
    store.close();
  });

  it('lists newest first and narrows by type, status, service, queue, worker and limit', () => {
    const store = createStore();
    const old = makeFinding({ lastSeen: 1000 });
    const mid = makeFinding({
      lastSeen: 2000,
      type: 'silent_worker',
      subject: { service: 'mail', worker: 'w-9' },
    });
    const recent = makeFinding({
      lastSeen: 3000,
      status: 'resolved',
      resolvedAt: 3000,
      subject: { service: 'billing', queue: 'refunds' },
    });
    store.save([old, mid, recent], []);
    const ids = (filter?: Parameters<FindingStore['list']>[0]) => store.list(filter).map((f) => f.id);
    expect(ids()).toEqual([recent.id, mid.id, old.id]);
    expect(ids({ type: 'silent_worker' })).toEqual([mid.id]);
    expect(ids({ status: 'open' })).toEqual([mid.id, old.id]);
    expect(ids({ service: 'billing' })).toEqual([recent.id, old.id]);
    expect(ids({ queue: 'refunds' })).toEqual([recent.id]);
    expect(ids({ worker: 'w-9' })).toEqual([mid.id]);
    expect(ids({ limit: 1 })).toEqual([recent.id]);
    expect(ids({ service: 'billing', status: 'open' })).toEqual([old.id]);
    expect(store.open().map((f) => f.id)).toEqual([mid.id, old.id]);
    store.close();
  });

  it('hands out copies, so callers cannot change what is stored', () => {
    const store = createStore();
    const finding = makeFinding();
    store.save([finding], []);
    const copy = store.get(finding.id)!;
    copy.evidence.figures.gapSeconds = 999;
    expect(store.get(finding.id)?.evidence.figures.gapSeconds).toBe(7);
    store.close();
  });
});

describe('SqliteFindingStore on disk', () => {
  it('finds its findings again after the database is reopened', () => {
    const dir = tempDir();
    const first = new SqliteFindingStore(openDatabase(dir), { ownsDatabase: true });
    const finding = makeFinding();
    first.save([finding], [makeOpening(finding)]);
    first.close();
    const second = new SqliteFindingStore(openDatabase(dir), { ownsDatabase: true });
    expect(second.get(finding.id)).toEqual(finding);
    expect(second.transitions(finding.id)).toHaveLength(1);
    second.close();
  });

  it('writes nothing of a save that fails halfway', () => {
    const dir = tempDir();
    const store = new SqliteFindingStore(openDatabase(dir), { ownsDatabase: true });
    const good = makeFinding();
    const bad = { ...makeFinding(), evidence: { figures: {}, traces: [], detail: { loop: 1n } } };
    expect(() => store.save([good, bad as never], [makeOpening(good)])).toThrow();
    expect(store.get(good.id)).toBeUndefined();
    expect(store.transitions(good.id)).toEqual([]);
    store.close();
  });

  it('uses write-ahead logging with full synchronous commits', () => {
    const db = openDatabase(tempDir());
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(2);
    db.close();
  });
});
