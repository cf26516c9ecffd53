/** 2^32 divided by the golden ratio: a multiplier that spreads consecutive inputs far apart. */
const GOLDEN = 0x9e3779b1 | 0;
/** MurmurHash3's finalizer constants. */
const MIX_1 = 0x85ebca6b | 0;
const MIX_2 = 0xc2b2ae35 | 0;

/**
 * A direct-mapped cache from short byte sequences to values decoded from them. Attribute keys, names
 * and most attribute key/value pairs repeat in every span of a batch; finding the decoded value by
 * comparing bytes (four at a time) is cheaper than decoding again, and it hands out the same string
 * objects each time, which V8 has internalized after their first use as property keys, so that
 * `attributes[key] = value` takes its fast path. A slot holds one entry; a collision replaces it.
 *
 * Words are read and written through DataViews with a literal byte order on both sides. An order
 * given as a variable (to match an Int32Array's platform order) costs nothing while V8 can fold the
 * module's const, but a bundler turns that const into a var, and then the comparison loop, the
 * hottest in decoding, ran about three times slower.
 */
export class BytesCache<T> {
  private readonly slotShift: number;
  private readonly values: T[];
  /** Byte length of each slot's entry; -1 when empty. */
  private readonly lengths: Int32Array;
  private readonly bytes: Uint8Array;
  /** The same memory as `bytes`, for comparing four bytes at a time. */
  private readonly view: DataView;
  /**
   * For each slot, the slot looked up right after it last time. Spans of a kind repeat their
   * attributes and names in one order, so the slot of the previous lookup foretells the next one,
   * and trying that slot first (`get` checks every byte) saves hashing the bytes.
   */
  private readonly nextSlots: Uint16Array;
  /** The slot of the latest `find`: where its bytes are, or would be `set`. */
  lastSlot = 0;

  /** `slotBits`: log2 of the number of slots; `maxLength`: longer sequences are never cached. */
  constructor(
    slotBits: number,
    readonly maxLength: number,
    empty: T,
  ) {
    const slots = 1 << slotBits;
    this.slotShift = 32 - slotBits;
    this.values = new Array<T>(slots).fill(empty);
    this.lengths = new Int32Array(slots).fill(-1);
    this.bytes = new Uint8Array(slots * maxLength);
    this.view = new DataView(this.bytes.buffer);
    if (slotBits > 16) throw new RangeError(`BytesCache slotBits: expected at most 16, got ${slotBits}`);
    this.nextSlots = new Uint16Array(slots);
  }

  /** The slot for bytes [start, end) of `view` (at most maxLength long, at least one). */
  slotOf(view: DataView, start: number, end: number): number {
    const length = end - start;
    let hash = Math.imul(length, GOLDEN);
    if (length < 4) {
      for (let i = start; i < end; i++) hash = Math.imul(hash ^ view.getUint8(i), GOLDEN);
      return hash >>> this.slotShift;
    }
    // Every byte, a word at a time (the last word may overlap the one before): sampling a few bytes
    // let pairs that differ only mid-key (`messaging.operation.type` and `.name` with one value) or
    // in an id's last digits share a slot and evict each other span after span. Rotate and xor per
    // word keeps the loop short; the multiplies after it spread every bit into the top bits, which
    // pick the slot.
    const lastWord = end - 4;
    for (let i = start; i < lastWord; i += 4) hash = ((hash << 5) | (hash >>> 27)) ^ view.getInt32(i, true);
    hash = ((hash << 5) | (hash >>> 27)) ^ view.getInt32(lastWord, true);
    hash = Math.imul(hash ^ (hash >>> 16), MIX_1);
    hash = Math.imul(hash ^ (hash >>> 13), MIX_2);
    return hash >>> this.slotShift;
  }

  /** The value cached for bytes [start, end) (`view` over `buf`), or undefined; sets `lastSlot` either way. */
  find(buf: Uint8Array, view: DataView, start: number, end: number): T | undefined {
    const previous = this.lastSlot;
    const predicted = this.nextSlots[previous];
    let slot = predicted;
    let value = this.get(predicted, buf, view, start, end);
    if (value === undefined) {
      slot = this.slotOf(view, start, end);
      this.nextSlots[previous] = slot;
      if (slot !== predicted) value = this.get(slot, buf, view, start, end);
    }
    this.lastSlot = slot;
    return value;
  }

  /** The value cached in `slot` for exactly bytes [start, end), or undefined. */
  get(slot: number, buf: Uint8Array, view: DataView, start: number, end: number): T | undefined {
    const length = end - start;
    if (this.lengths[slot] !== length) return undefined;
    const base = slot * this.maxLength;
    if (length < 4) {
      const bytes = this.bytes;
      for (let i = 0; i < length; i++) if (bytes[base + i] !== buf[start + i]) return undefined;
      return this.values[slot];
    }
    // The last word first: sequences of one length that differ (ids, counters; a slot tried on a
    // guess) mostly differ there. It also covers the bytes after the last whole word.
    const own = this.view;
    if (view.getInt32(end - 4, true) !== own.getInt32(base + length - 4, true)) return undefined;
    for (let i = 0; i + 4 < length; i += 4) {
      if (view.getInt32(start + i, true) !== own.getInt32(base + i, true)) return undefined;
    }
    return this.values[slot];
  }

  set(slot: number, buf: Uint8Array, view: DataView, start: number, end: number, value: T): void {
    const length = end - start;
    const base = slot * this.maxLength;
    const own = this.view;
    let i = 0;
    for (; i + 4 <= length; i += 4) own.setInt32(base + i, view.getInt32(start + i, true), true);
    const bytes = this.bytes;
    for (; i < length; i++) bytes[base + i] = buf[start + i];
    this.lengths[slot] = length;
    this.values[slot] = value;
  }
}
