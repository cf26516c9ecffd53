import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { KeyIndex } from '../../../src/model/table/key-index.js';

/**
 * The cases every KeyIndex over string keys must pass (as hono runs one suite against every router).
 * `make(maxRows)` returns an empty index; the property cases use keys from a small set, so that an
 * implementation that hashes them into few slots gets long probe runs and deletes in the middle of them.
 */
export function describeKeyIndexContract(name: string, make: (maxRows: number) => KeyIndex<string>): void {
  describe(`${name} (KeyIndex contract)`, () => {
    it('finds a row by its key, and -1 for a key never set', () => {
      const index = make(10);
      index.set('job-1', 3);
      index.set('job-2', 0);
      expect(index.get('job-1')).toBe(3);
      expect(index.get('job-2')).toBe(0);
      expect(index.get('job-3')).toBe(-1);
      expect(index.size).toBe(2);
    });

    it('forgets a deleted key, by key or by row, and says whether it held one', () => {
      const index = make(10);
      index.set('a', 1);
      index.set('b', 2);
      expect(index.delete('a')).toBe(true);
      expect(index.delete('a')).toBe(false);
      expect(index.deleteRow(2)).toBe(true);
      expect(index.deleteRow(2)).toBe(false);
      expect(index.deleteRow(7)).toBe(false);
      expect(index.get('a')).toBe(-1);
      expect(index.get('b')).toBe(-1);
      expect(index.size).toBe(0);
    });

    it('lets a row be taken again by another key once deleted', () => {
      const index = make(4);
      index.set('old', 0);
      index.deleteRow(0);
      index.set('new', 0);
      expect(index.get('new')).toBe(0);
      expect(index.get('old')).toBe(-1);
    });

    it('tells apart keys that differ in one character anywhere', () => {
      const index = make(100);
      const base = '0123456789abcdef0123456789abcdef01234567';
      index.set(base, 0);
      for (let i = 0; i < base.length; i++) {
        const other = `${base.slice(0, i)}${base[i] === 'f' ? 'e' : 'f'}${base.slice(i + 1)}`;
        expect(index.get(other)).toBe(-1);
      }
      expect(index.get(base)).toBe(0);
    });

    it('rejects a row outside its bound, naming the bound and the row', () => {
      const index = make(8);
      expect(() => index.set('a', 8)).toThrow(/\[0, 8\).*8/);
      expect(() => index.set('a', -1)).toThrow(RangeError);
      expect(() => index.set('a', 1.5)).toThrow(RangeError);
      index.set('a', 7);
      expect(index.get('a')).toBe(7);
    });

    it('holds as many keys as rows, past its initial room', () => {
      const index = make(5_000);
      for (let row = 0; row < 5_000; row++) index.set(`key-${row}`, row);
      expect(index.size).toBe(5_000);
      for (let row = 0; row < 5_000; row += 97) expect(index.get(`key-${row}`)).toBe(row);
    });

    it('answers like a Map through any mix of sets and deletes, colliding keys included', () => {
      // An operation: set (key, row), delete a key, or delete a row; keys and rows from small ranges.
      const operation = fc.tuple(fc.constantFrom('set', 'delete', 'deleteRow'), fc.nat(40), fc.nat(63));
      fc.assert(
        fc.property(fc.array(operation, { minLength: 100, maxLength: 400 }), (operations) => {
          const index = make(64);
          const rowOf = new Map<string, number>();
          const keyOf = new Map<number, string>();
          for (const [kind, n, row] of operations) {
            const key = `key-${n}`;
            if (kind === 'set') {
              // The contract's precondition: a key not held, into a row not held.
              if (rowOf.has(key) || keyOf.has(row)) continue;
              index.set(key, row);
              rowOf.set(key, row);
              keyOf.set(row, key);
            } else if (kind === 'delete') {
              expect(index.delete(key)).toBe(rowOf.has(key));
              keyOf.delete(rowOf.get(key) ?? -1);
              rowOf.delete(key);
            } else {
              expect(index.deleteRow(row)).toBe(keyOf.has(row));
              rowOf.delete(keyOf.get(row) ?? '');
              keyOf.delete(row);
            }
            expect(index.size).toBe(rowOf.size);
            // expect() only on a mismatch: 41 probes after each of 400 operations, 100 times over.
            for (let probe = 0; probe <= 40; probe++) {
              const key = `key-${probe}`;
              const found = index.get(key);
              if (found !== (rowOf.get(key) ?? -1))
                expect({ key, found }).toEqual({ key, found: rowOf.get(key) });
            }
          }
        }),
        { numRuns: 100 },
      );
    });
  });
}
