import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hashText, RowIndex } from '../../src/model/row-index.js';

describe('RowIndex', () => {
  it('finds rows by hash, asking the owner to confirm each candidate', () => {
    const index = new RowIndex(8);
    index.insert(7, 0);
    index.insert(7, 1);
    expect(index.find(7, (row) => row === 1)).toBe(1);
    expect(index.find(7, () => false)).toBe(-1);
    expect(index.find(8, () => true)).toBe(-1);
  });

  it('answers like a map of rows through any mix of inserts and removals, colliding hashes included', () => {
    // Hashes from a small range collide and share probe runs, which removal by backward shift must keep intact.
    const operation = fc.tuple(fc.boolean(), fc.integer({ min: 0, max: 40 }));
    fc.assert(
      fc.property(fc.array(operation, { minLength: 100, maxLength: 400 }), (operations) => {
        const index = new RowIndex(2);
        const hashOf = (key: number) => (key * 7) % 13;
        const held = new Set<number>();
        for (const [insert, key] of operations) {
          if (insert && !held.has(key) && held.size < 64) {
            index.insert(hashOf(key), key);
            held.add(key);
          } else if (!insert) {
            index.remove(hashOf(key), key);
            held.delete(key);
          }
          for (let probe = 0; probe <= 40; probe++) {
            const found = index.find(hashOf(probe), (row) => row === probe);
            expect(found).toBe(held.has(probe) ? probe : -1);
          }
        }
      }),
    );
  });
});

describe('hashText', () => {
  it('spreads keys that differ only in their last character over different low bits', () => {
    const low = new Set<number>();
    for (let n = 0; n < 16; n++) low.add(hashText(`job-${n.toString(16)}`, 0x811c9dc5) & 0xff);
    expect(low.size).toBeGreaterThan(12);
  });

  it('is seeded per process, so that ids picked to collide in one process do not in another', async () => {
    const { execFileSync } = await import('node:child_process');
    const module = new URL('../../src/model/row-index.ts', import.meta.url).href;
    const script = `import(${JSON.stringify(module)}).then((m) => console.log(m.hashText('job-1')))`;
    const run = () => execFileSync(process.execPath, ['--import', 'tsx', '-e', script], { encoding: 'utf8' });
    expect(run()).not.toBe(run());
  });

  it('depends on the seed, so that hashes of several fields can be chained', () => {
    expect(hashText('emails', hashText('a'))).not.toBe(hashText('emails', hashText('b')));
  });
});
