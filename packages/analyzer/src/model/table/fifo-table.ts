import { StringKeyIndex } from './string-key-index.js';
import { entriesBound, type OnEvict, type Table } from './table.js';

/** Room at the first entry; the slots double from there as entries come, up to the bound. */
const INITIAL_SLOTS = 1024;

/**
 * A Table whose entries leave in the order they came: slots in a circular array from the oldest, found
 * through a StringKeyIndex. For a window that is walked in arrival order and cut from its old end
 * (50k finished attempts): `at` reads the n-th oldest slot and `shift` drops the oldest, both at once,
 * which a Map can only do by walking its keys.
 *
 * A deleted entry leaves a hole in its slot until the slot reaches the old end (owners of such windows
 * rarely delete); holes count towards the slots, not the size. Positions, as `at` takes them, count
 * from the oldest slot, so every slot leaving the old end (`shift`, or an eviction) moves them down by
 * one. Growing lays the slots out again, so row numbers are not stable: only positions are.
 */
export class FifoTable<V> implements Table<V> {
  private slots: (V | undefined)[] = [];
  /** Each used slot's key, by row; laid out again with the slots. */
  private index: StringKeyIndex;
  private readonly bound: number;
  private head = 0;
  /** Slots in use from `head`, holes included. */
  private used = 0;
  private held = 0;

  constructor(
    maxEntries: number,
    private readonly onEvict?: OnEvict<V>,
  ) {
    this.bound = entriesBound(maxEntries);
    if (!Number.isFinite(this.bound))
      throw new RangeError('maxEntries of a FifoTable must be finite, got Infinity');
    this.index = new StringKeyIndex(this.bound);
  }

  get size(): number {
    return this.held;
  }

  /** Slots from the oldest, holes included: the positions `at` takes are below this. */
  get length(): number {
    return this.used;
  }

  /** The value in the slot `position` places from the oldest; undefined for a hole. */
  at(position: number): V | undefined {
    return this.slots[(this.head + position) % this.slots.length];
  }

  get(key: string): V | undefined {
    const row = this.index.get(key);
    return row === -1 ? undefined : this.slots[row];
  }

  set(key: string, value: V): void {
    const held = this.index.get(key);
    if (held !== -1) {
      this.slots[held] = value;
      return;
    }
    if (this.used === this.slots.length) {
      if (this.slots.length < this.bound) this.grow();
      else this.evictOldest();
    }
    const row = (this.head + this.used) % this.slots.length;
    this.slots[row] = value;
    this.index.set(key, row);
    this.used += 1;
    this.held += 1;
  }

  delete(key: string): V | undefined {
    const row = this.index.get(key);
    if (row === -1) return undefined;
    const value = this.slots[row];
    this.empty(row);
    return value;
  }

  /** Drops the oldest slot and hands back its value (undefined for a hole), without `onEvict`. */
  shift(): V | undefined {
    if (this.used === 0) return undefined;
    const row = this.head;
    const value = this.slots[row];
    if (value !== undefined) this.empty(row);
    this.head = (row + 1) % this.slots.length;
    this.used -= 1;
    return value;
  }

  oldestKey(): string | undefined {
    for (let position = 0; position < this.used; position++) {
      const row = (this.head + position) % this.slots.length;
      if (this.slots[row] !== undefined) return this.index.keyOf(row);
    }
    return undefined;
  }

  *values(): IterableIterator<V> {
    for (let position = 0; position < this.used; position++) {
      const value = this.at(position);
      if (value !== undefined) yield value;
    }
  }

  forEach(visit: (value: V, key: string) => void): void {
    for (let position = 0; position < this.used; position++) {
      const row = (this.head + position) % this.slots.length;
      const value = this.slots[row];
      if (value !== undefined) visit(value, this.index.keyOf(row));
    }
  }

  private evictOldest(): void {
    const row = this.head;
    const value = this.slots[row];
    const key = this.index.keyOf(row);
    this.shift();
    if (value !== undefined) this.onEvict?.(key, value);
  }

  private empty(row: number): void {
    this.index.deleteRow(row);
    this.slots[row] = undefined;
    this.held -= 1;
  }

  /** Doubles the slots (up to the bound), laying the used ones out again from 0. */
  private grow(): void {
    const size = Math.min(this.bound, Math.max(INITIAL_SLOTS, this.slots.length * 2));
    const slots = new Array<V | undefined>(size).fill(undefined);
    const index = new StringKeyIndex(this.bound, size);
    for (let position = 0; position < this.used; position++) {
      const row = (this.head + position) % this.slots.length;
      slots[position] = this.slots[row];
      if (this.slots[row] !== undefined) index.set(this.index.keyOf(row), position);
    }
    this.slots = slots;
    this.index = index;
    this.head = 0;
  }
}
