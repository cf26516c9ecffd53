import { RowColumns } from './row-columns.js';
import { StringKeyIndex } from './string-key-index.js';
import { entriesBound, type OnEvict, type Table } from './table.js';

/**
 * A Table in columns: values in a RowColumns ring, found through a StringKeyIndex. For large
 * tables keyed by ids (100k live jobs by trace + span id): a lookup that misses reads two numbers per
 * probe instead of comparing key strings spread over the heap, and eviction takes the ring's next row
 * without walking deleted slots. The bound must be finite: the columns grow towards it.
 */
export class RingTable<V> implements Table<V> {
  private readonly rows: RowColumns;
  private readonly entries;
  private readonly index: StringKeyIndex;

  constructor(
    maxEntries: number,
    private readonly onEvict?: OnEvict<V>,
  ) {
    const bound = entriesBound(maxEntries);
    if (!Number.isFinite(bound))
      throw new RangeError('maxEntries of a RingTable must be finite, got Infinity');
    // A row still in the index when the ring drops it is evicted; `delete` takes it out of the index first.
    this.rows = new RowColumns(bound, (row) => {
      const key = this.index.keyOf(row);
      if (this.index.deleteRow(row)) this.onEvict?.(key, this.entries.get(row) as V);
    });
    this.entries = this.rows.refColumn<V | undefined>(undefined);
    this.index = new StringKeyIndex(bound);
  }

  get size(): number {
    return this.rows.size;
  }

  get(key: string): V | undefined {
    const row = this.index.get(key);
    return row === -1 ? undefined : this.entries.get(row);
  }

  set(key: string, value: V): void {
    const held = this.index.get(key);
    if (held !== -1) {
      this.entries.set(held, value);
      return;
    }
    const row = this.rows.take();
    this.entries.set(row, value);
    // The index hashed `key` in the `get` above: set reuses it.
    this.index.set(key, row);
  }

  delete(key: string): V | undefined {
    const row = this.index.get(key);
    if (row === -1) return undefined;
    const value = this.entries.get(row);
    this.index.deleteRow(row);
    this.rows.release(row);
    return value;
  }

  oldestKey(): string | undefined {
    for (const row of this.rows.heldRows()) return this.index.keyOf(row);
    return undefined;
  }

  *values(): IterableIterator<V> {
    for (const row of this.rows.heldRows()) yield this.entries.get(row) as V;
  }

  forEach(visit: (value: V, key: string) => void): void {
    for (const row of this.rows.heldRows()) visit(this.entries.get(row) as V, this.index.keyOf(row));
  }
}
