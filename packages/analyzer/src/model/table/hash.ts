import { randomBytes } from 'node:crypto';

/**
 * The one hash every table of the model uses. Seeded anew in each process, as V8 seeds its own string
 * hashes: job ids and trace ids come from outside, and with a known seed a sender could pick ids that all
 * land in one probe run.
 */
const PROCESS_HASH_SEED = randomBytes(4).readInt32LE(0);

/** A second, unrelated seed, for the low half of a fingerprint. */
const LOW_SEED = PROCESS_HASH_SEED ^ 0x5bd1e995;

/** murmur3's final mix: spreads every input bit over the low bits a table's mask keeps. */
function mix32(hash: number): number {
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  return (hash ^ (hash >>> 16)) | 0;
}

/**
 * A 32-bit hash of `text` (FNV-1a over UTF-16 units from a per-process seed, then murmur3's final mix to
 * spread low bits). Pass one field's hash as the seed of the next to hash a key of several fields.
 */
export function hashText(text: string, seed = PROCESS_HASH_SEED): number {
  let hash = seed;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return mix32(hash);
}

/** A 64-bit fingerprint as two 32-bit halves, written into by `fingerprintText` (no object per call). */
export interface Fingerprint {
  high: number;
  low: number;
}

/**
 * Writes into `into` two independent 32-bit hashes of `text`, computed in one pass: the high half as
 * `hashText`, the low half with another multiplier and seed. Never both zero, so that zero can mark a
 * free slot.
 */
export function fingerprintText(text: string, into: Fingerprint): void {
  let high = PROCESS_HASH_SEED;
  let low = LOW_SEED;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    high = Math.imul(high ^ code, 0x01000193);
    low = Math.imul(low ^ code, 0x5bd1e995);
    low ^= low >>> 15;
  }
  high = mix32(high);
  low = mix32(low);
  into.high = high;
  into.low = high === 0 && low === 0 ? 1 : low;
}
