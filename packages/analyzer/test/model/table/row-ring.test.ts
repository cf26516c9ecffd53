import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RowRing } from '../../../src/model/table/row-ring.js';

describe('RowRing', () => {
  it('hands out rows in order and, once full, the oldest row again after evicting it', () => {
    const evicted: number[] = [];
    const ring = new RowRing(
      3,
      () => {},
      (row) => evicted.push(row),
      2,
    );
    expect([ring.take(), ring.take(), ring.take()]).toEqual([0, 1, 2]);
    expect(ring.take()).toBe(0);
    expect(evicted).toEqual([0]);
    expect(ring.size).toBe(3);
    expect(ring.oldest).toBe(1);
  });

  it('evicts nothing until every row is held, taking released rows again first', () => {
    const evicted: number[] = [];
    const ring = new RowRing(
      3,
      () => {},
      (row) => evicted.push(row),
      2,
    );
    const [a, b, c] = [ring.take(), ring.take(), ring.take()];
    ring.release(b);
    expect(ring.take()).toBe(b);
    ring.release(c);
    expect(ring.take()).toBe(c);
    expect(evicted).toEqual([]);
    expect(ring.take()).toBe(a);
    expect(evicted).toEqual([a]);
    expect(ring.oldest).toBe(b);
  });

  it('grows the owner columns by doubling up to the capacity, before handing out a row past them', () => {
    const sizes: number[] = [];
    const ring = new RowRing(
      10,
      (size) => sizes.push(size),
      () => {},
      4,
    );
    for (let n = 0; n < 25; n++) expect(ring.take()).toBeLessThan(sizes.at(-1) ?? 0);
    expect(sizes).toEqual([4, 8, 10]);
    expect(ring.allocated).toBe(10);
  });

  it('holds at most its capacity through any mix of takes and releases, evicting only held rows', () => {
    const operation = fc.oneof(fc.constant('take' as const), fc.nat(19));
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 20 }),
        fc.array(operation, { minLength: 100, maxLength: 400 }),
        (capacity, operations) => {
          const held = new Set<number>();
          const ring = new RowRing(
            capacity,
            () => {},
            (row) => {
              // Evicted: held before, and already let go of by the ring.
              expect(held.has(row)).toBe(true);
              expect(ring.isHeld(row)).toBe(false);
              held.delete(row);
            },
            2,
          );
          for (const op of operations) {
            if (op === 'take') {
              const row = ring.take();
              expect(row).toBeLessThan(capacity);
              expect(held.has(row)).toBe(false);
              held.add(row);
            } else {
              expect(ring.release(op)).toBe(held.delete(op));
            }
            expect(ring.size).toBe(held.size);
            expect(ring.size).toBeLessThanOrEqual(capacity);
          }
        },
      ),
      { numRuns: 100 },
    );
  });
});
