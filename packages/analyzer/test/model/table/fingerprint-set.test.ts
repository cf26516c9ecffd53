import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FingerprintSet } from '../../../src/model/table/fingerprint-set.js';

describe('FingerprintSet', () => {
  it('answers like a Set of pairs through adds and clears, past its initial room, colliding highs included', () => {
    // High halves from a small range share probe runs; low halves tell the pairs apart.
    const operation = fc.oneof(
      { weight: 30, arbitrary: fc.tuple(fc.nat(15), fc.integer({ min: 1, max: 200 })) },
      { weight: 1, arbitrary: fc.constant('clear' as const) },
    );
    fc.assert(
      fc.property(fc.array(operation, { minLength: 100, maxLength: 400 }), (operations) => {
        const set = new FingerprintSet();
        const reference = new Set<string>();
        for (const op of operations) {
          if (op === 'clear') {
            set.clear();
            reference.clear();
            continue;
          }
          const [high, low] = op;
          expect(set.add(high, low)).toBe(!reference.has(`${high}:${low}`));
          reference.add(`${high}:${low}`);
          expect(set.size).toBe(reference.size);
        }
        for (let high = 0; high <= 15; high++)
          for (let low = 1; low <= 200; low += 13)
            expect(set.has(high, low)).toBe(reference.has(`${high}:${low}`));
      }),
      { numRuns: 100 },
    );
  });

  it('grows past 1024 pairs and keeps every one', () => {
    const set = new FingerprintSet();
    for (let n = 1; n <= 5_000; n++) set.add(Math.imul(n, 0x9e3779b1), n);
    expect(set.size).toBe(5_000);
    for (let n = 1; n <= 5_000; n += 37) expect(set.has(Math.imul(n, 0x9e3779b1), n)).toBe(true);
    expect(set.has(1, 2)).toBe(false);
  });
});
