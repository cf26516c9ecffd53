import type { AttrValue } from '../records/records.js';
import { DecodeError } from '../wire/decode-error.js';
import { hexOf } from '../wire/hex-id.js';
import { DecodeCaches } from './decode-caches.js';
import { internedText } from './string-interner.js';

/** Protobuf wire types this reader understands; groups (3, 4) never occur in OTLP and are rejected. */
export const WIRE_VARINT = 0;
export const WIRE_FIXED64 = 1;
export const WIRE_LENGTH_DELIMITED = 2;
const WIRE_FIXED32 = 5;

const TWO_POW_32 = 4294967296;
/** Lengths from here on are refused (see `length32`). */
const MAX_LENGTH = 2 ** 31;
/** How many recently decoded ids `hex()` remembers. */
const RECENT_IDS = 4;

type NodeSlices = Buffer & {
  utf8Slice(start: number, end: number): string;
  latin1Slice(start: number, end: number): string;
  base64Slice(start: number, end: number): string;
};

/**
 * A cursor over protobuf bytes. Methods read at `pos` and advance it; bounds are checked against the
 * whole buffer here and against the enclosing message by the message decoders (`pos !== end` after
 * their loop means a field overran its message).
 */
export class ProtoReader {
  readonly buf: NodeSlices;
  readonly view: DataView;
  pos = 0;
  /**
   * Counts past which the decoders skip items unread (see DecodeCountLimits): a hostile span of 500k
   * attributes costs a skip each rather than a string and an object slot each. Infinity: no limit.
   */
  maxAttributes = Number.POSITIVE_INFINITY;
  maxEvents = Number.POSITIVE_INFINITY;
  maxLinks = Number.POSITIVE_INFINITY;
  /** Items skipped for those limits. */
  skipped = 0;
  /**
   * The key and value `readSimpleKeyValue` (proto-attributes.ts) read last: saves returning a pair
   * object from it, and reading the value back from an object of ever-changing shape.
   */
  lastKey = '';
  lastValue: AttrValue = null;

  /** `caches`: the decoder's, kept between requests; by default this request's own. */
  constructor(
    bytes: Uint8Array,
    readonly caches: DecodeCaches = new DecodeCaches(),
  ) {
    const buf = Buffer.isBuffer(bytes)
      ? bytes
      : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.buf = buf as NodeSlices;
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  }

  get length(): number {
    return this.buf.length;
  }

  /** A varint's low 32 bits as an unsigned number (tags, lengths, enums, bools, int32). */
  uint32(): number {
    const buf = this.buf;
    let pos = this.pos;
    // An index past the end yields undefined, for which `< 0x80` is false: the loop runs on to the
    // length check below instead of returning garbage.
    let b = buf[pos++];
    if (b < 0x80) {
      this.pos = pos;
      return b;
    }
    let value = b & 0x7f;
    b = buf[pos++];
    value |= (b & 0x7f) << 7;
    if (b < 0x80) {
      this.pos = pos;
      return value;
    }
    b = buf[pos++];
    value |= (b & 0x7f) << 14;
    if (b < 0x80) {
      this.pos = pos;
      return value;
    }
    b = buf[pos++];
    value |= (b & 0x7f) << 21;
    if (b < 0x80) {
      this.pos = pos;
      return value;
    }
    b = buf[pos++];
    value = (value | ((b & 0x0f) << 28)) >>> 0;
    if (b < 0x80) {
      this.pos = pos;
      return value;
    }
    for (let i = 0; i < 5; i++) {
      b = buf[pos++];
      if (b < 0x80) {
        this.pos = pos;
        return value;
      }
    }
    throw pos > buf.length ? new DecodeError('truncated') : new DecodeError('varint longer than 10 bytes');
  }

  /** Reads a varint into `lo`/`hi` 32-bit halves (both unsigned). */
  private varint64(): void {
    const buf = this.buf;
    let pos = this.pos;
    let lo = 0;
    let hi = 0;
    let b = 0;
    for (let shift = 0; shift < 28; shift += 7) {
      b = buf[pos++];
      lo |= (b & 0x7f) << shift;
      if (b < 0x80) {
        this.pos = pos;
        this.lo = lo >>> 0;
        this.hi = 0;
        return;
      }
    }
    b = buf[pos++];
    lo |= (b & 0x7f) << 28;
    hi = (b & 0x7f) >> 4;
    if (b < 0x80) {
      this.pos = pos;
      this.lo = lo >>> 0;
      this.hi = hi >>> 0;
      return;
    }
    for (let shift = 3; shift < 38; shift += 7) {
      b = buf[pos++];
      hi |= (b & 0x7f) << shift;
      if (b < 0x80) {
        this.pos = pos;
        this.lo = lo >>> 0;
        this.hi = hi >>> 0;
        return;
      }
    }
    throw pos > buf.length ? new DecodeError('truncated') : new DecodeError('varint longer than 10 bytes');
  }

  private lo = 0;
  private hi = 0;

  /** int64 varint as the nearest double (two's complement negatives). */
  int64(): number {
    this.varint64();
    return (this.hi | 0) * TWO_POW_32 + this.lo;
  }

  /** uint64 varint as the nearest double. */
  uint64(): number {
    this.varint64();
    return this.hi * TWO_POW_32 + this.lo;
  }

  /** zigzag sint32. */
  sint32(): number {
    const n = this.uint32();
    return (n >>> 1) ^ -(n & 1);
  }

  bool(): boolean {
    this.varint64();
    return this.lo !== 0 || this.hi !== 0;
  }

  private need(bytes: number): number {
    const pos = this.pos;
    if (pos + bytes > this.buf.length) throw new DecodeError('truncated');
    this.pos = pos + bytes;
    return pos;
  }

  fixed32(): number {
    return this.view.getUint32(this.need(4), true);
  }

  /** fixed64 as the nearest double. */
  fixed64(): number {
    const pos = this.need(8);
    return this.view.getUint32(pos + 4, true) * TWO_POW_32 + this.view.getUint32(pos, true);
  }

  /** sfixed64 as the nearest double. */
  sfixed64(): number {
    const pos = this.need(8);
    return this.view.getInt32(pos + 4, true) * TWO_POW_32 + this.view.getUint32(pos, true);
  }

  /** A fixed64 count of nanoseconds since the epoch, as fractional milliseconds. */
  nanosAsMs(): number {
    const pos = this.need(8);
    return nanosToMs(this.view.getUint32(pos + 4, true), this.view.getUint32(pos, true));
  }

  double(): number {
    return this.view.getFloat64(this.need(8), true);
  }

  /** Reads a length prefix and returns where the delimited bytes end, checked against `end`. */
  delimited(end: number): number {
    // One-byte lengths (under 128) are most of them: skip the general varint read.
    let length = this.buf[this.pos];
    if (length < 0x80) this.pos++;
    else length = this.length32();
    const stop = this.pos + length;
    if (stop > end || stop > this.buf.length) throw new DecodeError('truncated');
    return stop;
  }

  /**
   * A length varint, refused from 2^31 on. `uint32` keeps only the low 32 bits, so a length of 2^63
   * read through it was 0: a huge prefix passed as an empty field and the bytes after it were read
   * as the next fields. No length in a body of at most `maxBodyBytes` can come near 2^31.
   */
  private length32(): number {
    this.varint64();
    if (this.hi !== 0 || this.lo >= MAX_LENGTH) {
      throw new DecodeError(`length ${this.hi * TWO_POW_32 + this.lo} is 2^31 or more`);
    }
    return this.lo;
  }

  /** UTF-8 text in [pos, stop); invalid sequences become U+FFFD. Short text comes from a cache. */
  string(stop: number): string {
    const start = this.pos;
    this.pos = stop;
    return start === stop ? '' : internedText(this.caches.strings, this.buf, this.view, start, stop);
  }

  /**
   * Bytes in [pos, stop) as lowercase hex (trace and span ids). Spans of one trace sit together and
   * a step's parent id is its attempt's span id, so an id often equals one read moments ago: the
   * last few are remembered by position and reused when the bytes match.
   */
  hex(stop: number): string {
    const start = this.pos;
    this.pos = stop;
    const length = stop - start;
    for (let k = 0; k < RECENT_IDS; k++) {
      if (this.recentIdLengths[k] === length && sameBytes(this.view, this.recentIdStarts[k], start, length)) {
        return this.recentIds[k];
      }
    }
    const hex = hexOf(this.buf, start, stop);
    const slot = this.nextRecentId;
    this.nextRecentId = (slot + 1) % RECENT_IDS;
    this.recentIdStarts[slot] = start;
    this.recentIdLengths[slot] = length;
    this.recentIds[slot] = hex;
    return hex;
  }

  private readonly recentIdStarts = [0, 0, 0, 0];
  /** -1: no id remembered yet. */
  private readonly recentIdLengths = [-1, -1, -1, -1];
  private readonly recentIds = ['', '', '', ''];
  private nextRecentId = 0;

  base64(stop: number): string {
    const start = this.pos;
    this.pos = stop;
    return this.buf.base64Slice(start, stop);
  }

  /** Skips one field's value of the given wire type, staying within `end`. */
  skip(wireType: number, end: number): void {
    switch (wireType) {
      case WIRE_VARINT:
        this.varint64();
        break;
      case WIRE_FIXED64:
        this.need(8);
        break;
      case WIRE_LENGTH_DELIMITED:
        this.pos = this.delimited(end);
        break;
      case WIRE_FIXED32:
        this.need(4);
        break;
      default:
        throw new DecodeError(`invalid wire type ${wireType}`);
    }
    if (this.pos > end) throw new DecodeError('truncated');
  }
}

/**
 * Whether the `length` bytes at `a` and at `b` are equal. From the end, a word at a time: ids that
 * share a prefix (counters, generators seeded per process) differ there.
 */
function sameBytes(view: DataView, a: number, b: number, length: number): boolean {
  let i = length;
  while (i >= 4 && view.getInt32(a + i - 4, true) === view.getInt32(b + i - 4, true)) i -= 4;
  // Leading bytes, or the word that differed (then some byte of it differs and stops this).
  while (i > 0 && view.getUint8(a + i - 1) === view.getUint8(b + i - 1)) i--;
  return i === 0;
}

/** Nanoseconds given as 32-bit halves to fractional milliseconds; the JSON decoder shares it so both agree. */
export function nanosToMs(hi: number, lo: number): number {
  return (hi * TWO_POW_32 + lo) / 1e6;
}

/** Throws unless a field arrived with the wire type its schema gives it. */
export function expectWire(actual: number, expected: number): void {
  if (actual !== expected) throw new DecodeError(`wire type ${actual}, expected ${expected}`);
}
