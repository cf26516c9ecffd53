import { checkRow, type KeyIndex, type RowKeys } from './key-index.js';

/**
 * A KeyIndex in an open-addressed table of typed arrays. The model's large tables (50k attempts, 100k
 * jobs) were Maps keyed by strings: a miss, which is what every new attempt and job is, walked a bucket
 * chain comparing against key strings spread over the heap, several cache misses each. Here a probe reads
 * two adjacent numbers; the owner's key is compared only when the hash matches, which for a new key is
 * almost never.
 *
 * Linear probing, at most half full, with deletion by backward shift, so probe runs stay short and need
 * no tombstones. Each row's hash is kept too, so that `deleteRow` needs no key.
 */
export class HashedKeyIndex<K> implements KeyIndex<K> {
  /** Per slot: the hash, then the row, side by side; row -1 marks a free slot. */
  private slots: Int32Array;
  private mask: number;
  private entries = 0;
  /** Each row's hash, by row; grows by doubling up to `maxRows`. */
  private rowHashes = new Int32Array(0);
  /**
   * The key `get` hashed last and its hash: `set` after a missed `get` (the usual insert) reuses it, even
   * when an eviction deleted a row in between (a full table's every insert).
   */
  private probedKey: K | undefined;
  private probedHash = 0;

  /** Room for `expectedRows` before the first growth; the table doubles whenever half full. */
  constructor(
    private readonly keys: RowKeys<K>,
    private readonly maxRows: number,
    expectedRows = 8,
  ) {
    let slots = 16;
    while (slots < expectedRows * 2) slots *= 2;
    this.slots = new Int32Array(slots * 2).fill(-1);
    this.mask = slots - 1;
  }

  get size(): number {
    return this.entries;
  }

  get(key: K): number {
    const hash = this.keys.hash(key);
    this.probedKey = key;
    this.probedHash = hash;
    return this.find(hash, key);
  }

  /**
   * Reuses the hash of the `get` just before when handed the same key (by identity): keys of several
   * fields are objects, which must not change between the two calls.
   */
  set(key: K, row: number): void {
    checkRow(row, this.maxRows);
    const hash = key === this.probedKey ? this.probedHash : this.keys.hash(key);
    this.probedKey = undefined;
    if ((this.entries + 1) * 2 > this.mask + 1) this.grow();
    this.place(hash, row);
    this.entries += 1;
    if (row >= this.rowHashes.length) this.growRowHashes(row);
    this.rowHashes[row] = hash;
  }

  delete(key: K): boolean {
    const hash = this.keys.hash(key);
    const row = this.find(hash, key);
    return row !== -1 && this.remove(hash, row);
  }

  deleteRow(row: number): boolean {
    if (row < 0 || row >= this.rowHashes.length) return false;
    return this.remove(this.rowHashes[row], row);
  }

  private find(hash: number, key: K): number {
    const slots = this.slots;
    const mask = this.mask;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const row = slots[slot * 2 + 1];
      if (row === -1) return -1;
      if (slots[slot * 2] === hash && this.keys.matches(row, key)) return row;
    }
  }

  private place(hash: number, row: number): void {
    const slots = this.slots;
    let slot = hash & this.mask;
    while (slots[slot * 2 + 1] !== -1) slot = (slot + 1) & this.mask;
    slots[slot * 2] = hash;
    slots[slot * 2 + 1] = row;
  }

  private grow(): void {
    const old = this.slots;
    this.slots = new Int32Array(old.length * 2).fill(-1);
    this.mask = old.length - 1;
    for (let i = 0; i < old.length; i += 2) if (old[i + 1] !== -1) this.place(old[i], old[i + 1]);
  }

  private growRowHashes(row: number): void {
    let size = Math.max(16, this.rowHashes.length * 2);
    while (size <= row) size *= 2;
    const grown = new Int32Array(Math.min(this.maxRows, size));
    grown.set(this.rowHashes);
    this.rowHashes = grown;
  }

  /** Removes `row`, stored under `hash`; false when it is not there. */
  private remove(hash: number, row: number): boolean {
    const slots = this.slots;
    const mask = this.mask;
    let slot = hash & mask;
    for (;;) {
      const held = slots[slot * 2 + 1];
      if (held === -1) return false;
      if (held === row && slots[slot * 2] === hash) break;
      slot = (slot + 1) & mask;
    }
    this.entries -= 1;
    // Backward shift: move later entries of the run into the hole when their home slot allows it.
    let hole = slot;
    for (let next = (hole + 1) & mask; ; next = (next + 1) & mask) {
      const nextRow = slots[next * 2 + 1];
      if (nextRow === -1) break;
      const home = slots[next * 2] & mask;
      // The entry may move back to the hole unless its home lies cyclically in (hole, next].
      const between = hole <= next ? home > hole && home <= next : home > hole || home <= next;
      if (between) continue;
      slots[hole * 2] = slots[next * 2];
      slots[hole * 2 + 1] = nextRow;
      hole = next;
    }
    slots[hole * 2 + 1] = -1;
    return true;
  }
}
