import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { OnEvict, Table } from '../../../src/model/table/table.js';

/**
 * The cases every Table must pass (as hono runs one suite against every router). `make(maxEntries,
 * onEvict)` returns an empty table. Eviction is checked as the interface states it: only ever the
 * oldest-added entries, never the newest, and never past the bound; how many at once is the
 * implementation's (a slack, or a ring's turn).
 */
export function describeTableContract(
  name: string,
  make: <V>(maxEntries: number, onEvict?: OnEvict<V>) => Table<V>,
): void {
  describe(`${name} (Table contract)`, () => {
    it('finds a value by its key, and nothing for a key never set', () => {
      const table = make<number>(10);
      table.set('job-1', 1);
      table.set('job-2', 2);
      expect(table.get('job-1')).toBe(1);
      expect(table.get('job-2')).toBe(2);
      expect(table.get('job-3')).toBeUndefined();
      expect(table.size).toBe(2);
    });

    it('gives a held key its new value in its old place', () => {
      const table = make<string>(10);
      table.set('a', 'first');
      table.set('b', 'second');
      table.set('a', 'again');
      expect(table.get('a')).toBe('again');
      expect([...table.values()]).toEqual(['again', 'second']);
      expect(table.oldestKey()).toBe('a');
      expect(table.size).toBe(2);
    });

    it('hands back what it deletes, without calling it evicted', () => {
      const evicted: string[] = [];
      const table = make<number>(10, (key) => evicted.push(key));
      table.set('a', 1);
      expect(table.delete('a')).toBe(1);
      expect(table.delete('a')).toBeUndefined();
      expect(table.get('a')).toBeUndefined();
      expect(table.size).toBe(0);
      expect(table.oldestKey()).toBeUndefined();
      expect(evicted).toEqual([]);
    });

    it('makes room by evicting the oldest entries and telling the owner of each', () => {
      const evicted: [string, number][] = [];
      const table = make<number>(3, (key, value) => evicted.push([key, value]));
      for (let n = 0; n < 5; n++) table.set(`job-${n}`, n);
      expect(table.size).toBeLessThanOrEqual(3);
      expect(table.get('job-4')).toBe(4);
      expect(evicted.slice(0, 2)).toEqual([
        ['job-0', 0],
        ['job-1', 1],
      ]);
      expect(table.size + evicted.length).toBe(5);
    });

    it('lists values oldest first, and lets the visitor delete the entry it visits', () => {
      const table = make<number>(100);
      for (let n = 0; n < 10; n++) table.set(`k${n}`, n);
      const seen: number[] = [];
      table.forEach((value, key) => {
        seen.push(value);
        if (value % 2 === 0) table.delete(key);
      });
      expect(seen).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
      expect([...table.values()]).toEqual([1, 3, 5, 7, 9]);
      for (const value of table.values()) if (value > 4) table.delete(`k${value}`);
      expect([...table.values()]).toEqual([1, 3]);
    });

    it('rejects a bound that is not positive, naming it, and rounds a fraction down', () => {
      expect(() => make(0)).toThrow(/maxEntries.*0/);
      expect(() => make(Number.NaN)).toThrow(RangeError);
      const table = make<number>(2.5);
      for (let n = 0; n < 3; n++) table.set(`k${n}`, n);
      expect(table.size).toBeLessThanOrEqual(2);
      expect(table.get('k2')).toBe(2);
    });

    it('keeps the newest entries, in order, through any mix of sets and deletes', () => {
      const operation = fc.oneof(
        fc.record({ set: fc.integer({ min: 0, max: 30 }) }),
        fc.record({ del: fc.integer({ min: 0, max: 30 }) }),
      );
      fc.assert(
        fc.property(
          fc.integer({ min: 1, max: 12 }),
          fc.array(operation, { minLength: 50, maxLength: 300 }),
          (maxEntries, operations) => {
            // The model: every key set and not deleted, oldest first; evictions must come from its front.
            const model = new Map<string, number>();
            const table = make<number>(maxEntries, (key, value) => {
              expect(model.keys().next().value).toBe(key);
              expect(model.get(key)).toBe(value);
              model.delete(key);
            });
            let version = 0;
            for (const op of operations) {
              version += 1;
              if ('set' in op) {
                const key = `key-${op.set}`;
                model.set(key, version);
                table.set(key, version);
                expect(table.get(key)).toBe(version);
              } else {
                const key = `key-${op.del}`;
                expect(table.delete(key)).toBe(model.get(key));
                model.delete(key);
              }
              expect(table.size).toBe(model.size);
              expect(table.size).toBeLessThanOrEqual(maxEntries);
            }
            expect([...table.values()]).toEqual([...model.values()]);
            expect(table.oldestKey()).toBe(model.keys().next().value);
          },
        ),
        { numRuns: 200 },
      );
    });
  });
}
