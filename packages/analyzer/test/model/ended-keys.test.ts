import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EndedKeys } from '../../src/model/ended-keys.js';

const hex = (n: number, width: number) => n.toString(16).padStart(width, '0');
/** A trace + span id key as the model builds them. */
const keyOf = (trace: number, span: number) => `${hex(trace, 32)}${hex(span, 16)}`;

describe('EndedKeys', () => {
  it('remembers a key and says when it was remembered already', () => {
    const ended = new EndedKeys(100);
    expect(ended.has(keyOf(1, 1))).toBe(false);
    expect(ended.add(keyOf(1, 1))).toBe(true);
    expect(ended.has(keyOf(1, 1))).toBe(true);
    expect(ended.add(keyOf(1, 1))).toBe(false);
    expect(ended.size).toBe(1);
  });

  it('tells apart keys that differ in one character anywhere', () => {
    const ended = new EndedKeys(10_000);
    const base = keyOf(0xabcdef, 0x1234);
    ended.add(base);
    for (let i = 0; i < base.length; i++) {
      const other = `${base.slice(0, i)}${base[i] === 'f' ? 'e' : 'f'}${base.slice(i + 1)}`;
      expect(ended.has(other)).toBe(false);
    }
  });

  it('holds at most maxKeys, always the newest half of them', () => {
    const ended = new EndedKeys(1_000);
    for (let n = 0; n < 10_000; n++) {
      ended.add(keyOf(n, n + 1));
      expect(ended.size).toBeLessThanOrEqual(1_000);
    }
    for (let n = 10_000 - 500; n < 10_000; n++) expect(ended.has(keyOf(n, n + 1))).toBe(true);
    expect(ended.has(keyOf(0, 1))).toBe(false);
  });

  it('answers like a Set over the keys it must still hold', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(50), fc.nat(50)), { minLength: 50, maxLength: 300 }), (pairs) => {
        const ended = new EndedKeys(1_000);
        const reference = new Set<string>();
        for (const [trace, span] of pairs) {
          const key = keyOf(trace, span);
          expect(ended.add(key)).toBe(!reference.has(key));
          reference.add(key);
        }
        for (let trace = 0; trace <= 50; trace += 7)
          for (let span = 0; span <= 50; span += 5)
            expect(ended.has(keyOf(trace, span))).toBe(reference.has(keyOf(trace, span)));
      }),
    );
  });
});
