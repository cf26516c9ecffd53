/**
 * Deletes the first-inserted entries of a Map or Set until it holds at most `max`, taking a slack of
 * 1/64 more at once: deleting one front entry per insert re-walks the deleted slots each time (V8 keeps
 * them until it rehashes), which made eviction dominate ingest. `onEvict` hears of each key while it is
 * still held (so a Map's value can be read). Returns the evicted keys' count.
 */
export function evictOldest<K>(
  collection: Map<K, unknown> | Set<K>,
  max: number,
  onEvict?: (key: K) => void,
): number {
  if (collection.size <= max) return 0;
  const target = Math.max(0, max - Math.floor(max / 64));
  let evicted = 0;
  for (const key of collection.keys()) {
    if (collection.size <= target) break;
    onEvict?.(key);
    collection.delete(key);
    evicted += 1;
  }
  return evicted;
}
