/**
 * Median of `all` (sorted ascending) without the values of `excluded` (sorted ascending, a sub-multiset
 * of `all`), walking both once: the slow-host check needs each host's peers' median, and building and
 * sorting a peer list per host made it quadratic in allocations. NaN when nothing is left.
 */
export function medianExcluding(all: readonly number[], excluded: readonly number[]): number {
  const count = all.length - excluded.length;
  if (count <= 0) return Number.NaN;
  const upper = count >> 1;
  const lower = count % 2 === 1 ? upper : upper - 1;
  let lowerValue = Number.NaN;
  let rank = 0;
  let j = 0;
  for (let i = 0; i < all.length; i++) {
    const value = all[i];
    if (j < excluded.length && excluded[j] === value) {
      j++;
      continue;
    }
    if (rank === lower) lowerValue = value;
    if (rank === upper) return lower === upper ? value : (lowerValue + value) / 2;
    rank++;
  }
  return Number.NaN;
}

/** Median of values already sorted ascending; NaN when empty. */
export function sortedMedian(sorted: readonly number[]): number {
  if (sorted.length === 0) return Number.NaN;
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}
