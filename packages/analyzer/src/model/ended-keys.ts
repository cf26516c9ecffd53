import { FingerprintSet } from './table/fingerprint-set.js';
import { type Fingerprint, fingerprintText } from './table/hash.js';

/**
 * Keys (trace + span id) of attempts whose end was seen, remembered so that late records of them change
 * nothing. It is the model's largest index, and as a Set of strings it cost a hash insert per attempt, a
 * delete per eviction, and kept every key string alive for the GC to copy and mark. Here a key is a 64-bit
 * fingerprint in a FingerprintSet: no objects at all.
 *
 * Two generations replace per-key eviction: keys go into the young set; when it holds half of
 * `maxKeys`, the old set is wiped and the two swap. So at most `maxKeys` are held, and the newest half
 * of that always. At 400k keys the chance of any two fingerprints colliding is about 1e-8, and a
 * collision would only make one late record of one attempt be ignored.
 */
export class EndedKeys {
  private young = new FingerprintSet();
  private old = new FingerprintSet();
  /** The last key's fingerprint (one object per table, not one per call). */
  private readonly print: Fingerprint = { high: 0, low: 0 };

  private readonly generationSize: number;

  constructor(maxKeys: number) {
    this.generationSize = Math.max(1, Math.floor(maxKeys / 2));
  }

  /** Keys remembered now: at most `maxKeys`. */
  get size(): number {
    return this.young.size + this.old.size;
  }

  has(key: string): boolean {
    const print = this.print;
    fingerprintText(key, print);
    return this.young.has(print.high, print.low) || this.old.has(print.high, print.low);
  }

  /** Remembers `key`; returns false when it was remembered already. */
  add(key: string): boolean {
    const print = this.print;
    fingerprintText(key, print);
    if (this.old.has(print.high, print.low)) return false;
    if (!this.young.add(print.high, print.low)) return false;
    if (this.young.size >= this.generationSize) {
      const wiped = this.old;
      wiped.clear();
      this.old = this.young;
      this.young = wiped;
    }
    return true;
  }
}
