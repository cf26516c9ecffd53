import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { median } from '../../src/detectors/median.js';
import { medianExcluding, sortedMedian } from '../../src/detectors/sorted-median.js';

const ascending = (a: number, b: number) => a - b;
const seconds = fc.integer({ min: 0, max: 5000 }).map((millis) => millis / 1000);

describe('medianExcluding', () => {
  it("gives each host's peers the same median as sorting the peers' durations would", () => {
    fc.assert(
      fc.property(fc.array(fc.array(seconds, { maxLength: 15 }), { minLength: 1, maxLength: 5 }), (hosts) => {
        const sortedHosts = hosts.map((list) => [...list].sort(ascending));
        const all = sortedHosts.flat().sort(ascending);
        for (const [index, host] of sortedHosts.entries()) {
          const peers = hosts.filter((_, other) => other !== index).flat();
          expect(medianExcluding(all, host)).toEqual(median(peers));
          expect(sortedMedian(host)).toEqual(median(host));
        }
      }),
      { numRuns: 300 },
    );
  });

  it('is NaN when every value is excluded', () => {
    expect(medianExcluding([1, 2], [1, 2])).toBeNaN();
  });
});
