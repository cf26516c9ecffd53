/**
 * A bounded table of values by string key, in the order the keys were added: what the model's stores
 * (live jobs, queues, workers, snapshots) keep their entries in, so that each store says what its
 * entries mean and not how they are held. Implementations differ in how they hold entries, not in what
 * they do: every one passes one contract suite (test/model/table/table-contract.ts).
 *
 * The bound is on entries: past it, adding evicts the oldest-added ones first, and the owner hears of
 * each through the `onEvict` it gave. An implementation may evict a few more at once than the one it
 * needs (a slack, so that eviction does not run on every add) and may evict before the bound once keys
 * were deleted (a FifoTable counts their holes), but only ever the oldest, and never the newest. A store
 * whose entries are deleted out of order and must not be evicted early (live jobs) takes a MapTable.
 */
export interface Table<V> {
  /** Entries held. */
  readonly size: number;
  get(key: string): V | undefined;
  /**
   * Stores `value` under `key`. A held key takes the new value and keeps its place in the order; a new
   * one goes in as the newest, evicting the oldest first when the table is full.
   */
  set(key: string, value: V): void;
  /** Removes `key` and hands back its value (the owner asked, so `onEvict` is not called); undefined when not held. */
  delete(key: string): V | undefined;
  /** The oldest held key, undefined when empty. */
  oldestKey(): string | undefined;
  /** Held values, oldest first. Deleting the entry being visited is safe; other changes are not. */
  values(): IterableIterator<V>;
  /** Calls `visit` for every held entry, oldest first; `visit` may delete the entry it is given. */
  forEach(visit: (value: V, key: string) => void): void;
}

/** Told of each entry a table evicts to make room. */
export type OnEvict<V> = (key: string, value: V) => void;

/**
 * The bound as a whole number of entries (a fraction rounds down, to at least 1, as model options may
 * be any positive number); throws, naming the value, unless it is positive.
 */
export function entriesBound(maxEntries: number): number {
  if (!(maxEntries > 0)) throw new RangeError(`maxEntries must be a positive number, got ${maxEntries}`);
  return Math.max(1, Math.floor(maxEntries));
}
