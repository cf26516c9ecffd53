import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Finding, FindingTransition } from '../../src/findings/finding.js';
import { openDatabase } from '../../src/store/open-database.js';
import { SqliteFindingStore } from '../../src/store/sqlite-finding-store.js';

/**
 * A data directory whose database already holds these findings, as an analyzer leaves it when it stops:
 * an analyzer started on it inherits them. The caller removes the directory.
 */
export async function seedDataDir(findings: Finding[], transitions: FindingTransition[]): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'joblens-seeded-'));
  const store = new SqliteFindingStore(openDatabase(dir), { ownsDatabase: true });
  await store.save(findings, transitions);
  await store.close();
  return dir;
}
