import { evictOldest } from './evict-oldest.js';
import { entriesBound, type OnEvict, type Table } from './table.js';

/**
 * A Table in a Map, which keeps its keys in insertion order. It evicts only once past its bound (with
 * the slack of `evictOldest`), however entries were deleted before: what live jobs need, as they end out
 * of order. No room is reserved ahead, so it also suits tables that are small or keyed by names senders
 * choose (queues, workers), with no bound worth sizing slots by.
 */
export class MapTable<V> implements Table<V> {
  private readonly entries = new Map<string, V>();
  private readonly maxEntries: number;

  constructor(
    maxEntries: number = Number.POSITIVE_INFINITY,
    private readonly onEvict?: OnEvict<V>,
  ) {
    this.maxEntries = entriesBound(maxEntries);
  }

  get size(): number {
    return this.entries.size;
  }

  get(key: string): V | undefined {
    return this.entries.get(key);
  }

  set(key: string, value: V): void {
    const entries = this.entries;
    if (entries.size < this.maxEntries || entries.has(key)) {
      entries.set(key, value);
      return;
    }
    entries.set(key, value);
    const onEvict = this.onEvict;
    // The new key is the newest: the slack never reaches it while the bound is at least 1.
    evictOldest(entries, this.maxEntries, onEvict && ((old) => onEvict(old, entries.get(old) as V)));
  }

  delete(key: string): V | undefined {
    const value = this.entries.get(key);
    if (value === undefined) return undefined;
    this.entries.delete(key);
    return value;
  }

  oldestKey(): string | undefined {
    for (const key of this.entries.keys()) return key;
    return undefined;
  }

  values(): IterableIterator<V> {
    return this.entries.values();
  }

  forEach(visit: (value: V, key: string) => void): void {
    // forEach, not for-of over entries: that allocated a [key, value] pair per entry.
    this.entries.forEach(visit);
  }
}
