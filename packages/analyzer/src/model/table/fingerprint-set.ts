/**
 * An open-addressed set of 64-bit fingerprints (`fingerprintText`'s), at most half full: it doubles as
 * keys come (so memory follows use, not a bound); no deletions but `clear`, which keeps the room. For a
 * large set of long keys it holds no strings at all: the GC has nothing to copy or mark.
 */
export class FingerprintSet {
  /** High and low halves side by side, so that a probe reads one cache line; (0, 0) marks a free slot. */
  private slots = new Int32Array(2 * 1024);
  private mask = 1023;
  private count = 0;

  get size(): number {
    return this.count;
  }

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
