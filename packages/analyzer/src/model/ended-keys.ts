import { PROCESS_HASH_SEED } from './row-index.js';

/**
 * Keys (trace + span id) of attempts whose end was seen, remembered so that late records of them change
 * nothing. It is the model's largest index, and as a Set of strings it cost a hash insert per attempt, a
 * delete per eviction, and kept every key string alive for the GC to copy and mark. Here a key is a 64-bit
 * fingerprint in typed arrays: no objects at all.
 *
 * Two generations replace per-key eviction: keys go into the young table; when it holds half of
 * `maxKeys`, the old table is wiped and the two swap. So at most `maxKeys` are held, and the newest half
 * of that always. At 400k keys the chance of any two fingerprints colliding is about 1e-8, and a
 * collision would only make one late record of one attempt be ignored.
 */
export class EndedKeys {
  private young: FingerprintTable;
  private old: FingerprintTable;

  private readonly generationSize: number;

  constructor(maxKeys: number) {
    this.generationSize = Math.max(1, Math.floor(maxKeys / 2));
    this.young = new FingerprintTable();
    this.old = new FingerprintTable();
  }

  /** Keys remembered now: at most `maxKeys`. */
  get size(): number {
    return this.young.count + this.old.count;
  }

  has(key: string): boolean {
    fingerprint(key);
    return this.young.has(fpHigh, fpLow) || this.old.has(fpHigh, fpLow);
  }

  /** Remembers `key`; returns false when it was remembered already. */
  add(key: string): boolean {
    fingerprint(key);
    if (this.old.has(fpHigh, fpLow)) return false;
    if (!this.young.add(fpHigh, fpLow)) return false;
    if (this.young.count >= this.generationSize) {
      const wiped = this.old;
      wiped.clear();
      this.old = this.young;
      this.young = wiped;
    }
    return true;
  }
}

// Per process, as row-index.ts explains: keys come from outside.
const HIGH_SEED = PROCESS_HASH_SEED;
const LOW_SEED = PROCESS_HASH_SEED ^ 0x5bd1e995;

/** The two halves of the last fingerprint computed (saves an object or array per call). */
let fpHigh = 0;
let fpLow = 0;

/** Two independent 32-bit hashes of the key's characters; never both zero (zero marks a free slot). */
function fingerprint(key: string): void {
  let high = HIGH_SEED;
  let low = LOW_SEED;
  for (let i = 0; i < key.length; i++) {
    const code = key.charCodeAt(i);
    high = Math.imul(high ^ code, 0x01000193);
    low = Math.imul(low ^ code, 0x5bd1e995);
    low ^= low >>> 15;
  }
  // Final mixing (murmur3's), so that keys differing only in their last characters spread over all slots.
  high ^= high >>> 16;
  high = Math.imul(high, 0x85ebca6b);
  high ^= high >>> 13;
  low ^= low >>> 16;
  low = Math.imul(low, 0xc2b2ae35);
  low ^= low >>> 16;
  fpHigh = high | 0;
  fpLow = high === 0 && low === 0 ? 1 : low | 0;
}

/**
 * An open-addressed set of 64-bit fingerprints, at most half full: it doubles as keys come (so memory
 * follows use, not the bound); no deletions but `clear`, which keeps the room.
 */
class FingerprintTable {
  /** High and low halves side by side, so that a probe reads one cache line. */
  private slots = new Int32Array(2 * 1024);
  private mask = 1023;
  count = 0;

  has(high: number, low: number): boolean {
    const slots = this.slots;
    for (let slot = high & this.mask; ; slot = (slot + 1) & this.mask) {
      const h = slots[slot * 2];
      const l = slots[slot * 2 + 1];
      if (h === high && l === low) return true;
      if (h === 0 && l === 0) return false;
    }
  }

  /** Returns false when the fingerprint was there already. */
  add(high: number, low: number): boolean {
    if ((this.count + 1) * 2 > this.mask + 1) this.grow();
    const slots = this.slots;
    for (let slot = high & this.mask; ; slot = (slot + 1) & this.mask) {
      const h = slots[slot * 2];
      const l = slots[slot * 2 + 1];
      if (h === high && l === low) return false;
      if (h === 0 && l === 0) {
        slots[slot * 2] = high;
        slots[slot * 2 + 1] = low;
        this.count += 1;
        return true;
      }
    }
  }

  private grow(): void {
    const old = this.slots;
    this.slots = new Int32Array(old.length * 2);
    this.mask = old.length - 1;
    const slots = this.slots;
    for (let i = 0; i < old.length; i += 2) {
      const high = old[i];
      const low = old[i + 1];
      if (high === 0 && low === 0) continue;
      let slot = high & this.mask;
      while (slots[slot * 2] !== 0 || slots[slot * 2 + 1] !== 0) slot = (slot + 1) & this.mask;
      slots[slot * 2] = high;
      slots[slot * 2 + 1] = low;
    }
  }

  clear(): void {
    if (this.count === 0) return;
    this.slots.fill(0);
    this.count = 0;
  }
}
