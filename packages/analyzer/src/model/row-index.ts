import { randomBytes } from 'node:crypto';

/**
 * Finds a table's row by a 32-bit hash of its key, in an open-addressed table of typed arrays. The
 * model's large tables (50k attempts, 100k jobs) were Maps keyed by strings: a miss, which is what every
 * new attempt and job is, walked a bucket chain comparing against key strings spread over the heap,
 * several cache misses each. Here a probe reads two adjacent numbers; the owner's key is compared only
 * when the hash matches, which for a new key is almost never.
 *
 * Linear probing, at most half full, with deletion by backward shift, so probe runs stay short and need
 * no tombstones.
 */
export class RowIndex {
  /** Per slot: the hash, then the row, side by side; row -1 marks a free slot. */
  private slots: Int32Array;
  private mask: number;
  private entries = 0;

  /** Room for `expectedRows` before the first growth; it doubles whenever half full. */
  constructor(expectedRows = 8) {
    let slots = 16;
    while (slots < expectedRows * 2) slots *= 2;
    this.slots = new Int32Array(slots * 2).fill(-1);
    this.mask = slots - 1;
  }

  /** The first row stored under `hash` for which `matches(row)` holds, or -1. */
  find(hash: number, matches: (row: number) => boolean): number {
    const slots = this.slots;
    for (let slot = hash & this.mask; ; slot = (slot + 1) & this.mask) {
      const row = slots[slot * 2 + 1];
      if (row === -1) return -1;
      if (slots[slot * 2] === hash && matches(row)) return row;
    }
  }

  /** Stores `row` under `hash` (the caller knows it is not there yet). */
  insert(hash: number, row: number): void {
    if ((this.entries + 1) * 2 > this.mask + 1) this.grow();
    this.place(hash, row);
    this.entries += 1;
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

  /** Removes `row`, stored under `hash`; does nothing when it is not there. */
  remove(hash: number, row: number): void {
    const slots = this.slots;
    const mask = this.mask;
    let slot = hash & mask;
    for (;;) {
      const held = slots[slot * 2 + 1];
      if (held === -1) return;
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
  }
}

/**
 * Seeds hashes anew in each process, as V8 seeds its own string hashes: job ids and trace ids come from
 * outside, and with a known seed a sender could pick ids that all land in one probe run.
 */
export const PROCESS_HASH_SEED = randomBytes(4).readInt32LE(0);

/**
 * A 32-bit hash of `text` (FNV-1a over UTF-16 units from a per-process seed, then murmur3's final mix to
 * spread low bits).
 */
export function hashText(text: string, seed = PROCESS_HASH_SEED): number {
  let hash = seed;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  return (hash ^ (hash >>> 16)) | 0;
}
