import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { FindingStore } from '../../src/findings/finding-store.js';
import { FINDINGS_MIGRATIONS, FINDINGS_SCHEMA } from '../../src/store/finding-schema.js';
import { MemoryFindingStore } from '../../src/store/memory-finding-store.js';
import { migrate } from '../../src/store/migrate.js';
import { openDatabase } from '../../src/store/open-database.js';
import { SqliteFindingStore } from '../../src/store/sqlite-finding-store.js';
import { makeFinding, makeOpening } from './make-finding.js';

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'joblens-lifecycle-store-'));
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

describe.each(stores)('%s keeps the incident lifecycle', (_name, createStore) => {
  it('gives back who acknowledged a finding, when, its snooze and its last reminder', () => {
    const store = createStore();
    const finding = makeFinding();
    store.save([finding], [makeOpening(finding)]);
    const acknowledged = {
      ...finding,
      acknowledgedBy: 'alice',
      acknowledgedAt: finding.firstSeen + 60_000,
      snoozedUntil: finding.firstSeen + 3_600_000,
      remindedAt: finding.firstSeen + 30_000,
    };
    store.save([acknowledged], []);
    expect(store.get(finding.id)).toEqual(acknowledged);
    expect(store.open()).toEqual([acknowledged]);
    store.close();
  });

  it('records an acknowledgement as a transition naming who acted, between the others', () => {
    const store = createStore();
    const finding = makeFinding();
    store.save([finding], [makeOpening(finding)]);
    const at = finding.firstSeen + 60_000;
    store.save(
      [{ ...finding, acknowledgedBy: 'alice', acknowledgedAt: at }],
      [
        {
          findingId: finding.id,
          at,
          from: 'open',
          to: 'open',
          summary: 'acknowledged by alice',
          event: 'acknowledged',
          actor: 'alice',
        },
      ],
    );
    store.save(
      [{ ...finding, status: 'resolved', resolvedAt: at + 1000 }],
      [{ findingId: finding.id, at: at + 1000, from: 'open', to: 'resolved', summary: 'gone' }],
    );
    expect(store.transitions(finding.id)).toEqual([
      makeOpening(finding),
      {
        findingId: finding.id,
        at,
        from: 'open',
        to: 'open',
        summary: 'acknowledged by alice',
        event: 'acknowledged',
        actor: 'alice',
      },
      { findingId: finding.id, at: at + 1000, from: 'open', to: 'resolved', summary: 'gone' },
    ]);
    store.close();
  });

  it('clears a snooze when the finding is saved without one', () => {
    const store = createStore();
    const finding = makeFinding({ snoozedUntil: 1_800_000_000_000 });
    store.save([finding], []);
    const { snoozedUntil: _cleared, ...unsnoozed } = finding;
    store.save([unsnoozed], []);
    expect(store.get(finding.id)).toEqual(unsnoozed);
    store.close();
  });
});

describe('SqliteFindingStore migration to the incident lifecycle', () => {
  it('keeps findings written before the lifecycle columns existed, and lets them be acknowledged', () => {
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
    const old = store.get('old-1')!;
    expect(old.acknowledgedBy).toBeUndefined();
    store.save([{ ...old, acknowledgedBy: 'bob', acknowledgedAt: 10 }], []);
    expect(store.get('old-1')).toMatchObject({ acknowledgedBy: 'bob', acknowledgedAt: 10, lastSeen: 3 });
    store.close();
  });
});
