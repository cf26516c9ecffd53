import { rmSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { type AnalyzerHandle, createAnalyzer } from '../../src/analyzer.js';
import { makeFinding, makeOpening } from './make-finding.js';
import { seedDataDir } from './seed-data-dir.js';

const DAY = 24 * 3_600_000;
const NOW = 1_800_000_000_000;
let analyzer: AnalyzerHandle | undefined;
let dataDir: string | undefined;
afterEach(async () => {
  await analyzer?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  analyzer = dataDir = undefined;
});

describe('the evaluation loop', () => {
  it('deletes findings resolved longer ago than historyRetentionDays, and keeps the newer and the open ones', async () => {
    const resolvedAt = (daysAgo: number) => NOW - daysAgo * DAY;
    const old = makeFinding({ status: 'resolved', resolvedAt: resolvedAt(4), lastSeen: resolvedAt(4) });
    const recent = makeFinding({ status: 'resolved', resolvedAt: resolvedAt(2), lastSeen: resolvedAt(2) });
    const open = makeFinding({ lastSeen: NOW - 1000 });
    dataDir = await seedDataDir(
      [old, recent, open],
      [makeOpening(old), makeOpening(recent), makeOpening(open)],
    );
    analyzer = createAnalyzer({ dataDir, historyRetentionDays: 3 }, { clock: () => NOW });

    await analyzer.evaluateNow();

    expect(await analyzer.store.get(old.id)).toBeUndefined();
    expect(await analyzer.store.transitions(old.id)).toEqual([]);
    expect(await analyzer.store.get(recent.id)).toMatchObject({ status: 'resolved' });
    expect(await analyzer.store.get(open.id)).toMatchObject({ status: 'open' });
  });
});
