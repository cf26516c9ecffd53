import { atField, DecodeError, locate } from '../wire/decode-error.js';
import type { ProtoReader } from './proto-reader.js';

/**
 * How to read one message type, for `readFields`: `S` is what its fields are read into (the record
 * being built, or a small state of the decoder's).
 */
export interface MessageFields<S> {
  /** Field names by number (opentelemetry-proto v1) for error paths; `[]` marks repeated fields. */
  readonly names: Readonly<Record<number, string>>;
  /**
   * Reads one field whose tag was just read: `wire` is its wire type, `end` where the message ends.
   * A field it does not know it skips with `r.skip(wire, end)`.
   */
  readField(r: ProtoReader, field: number, wire: number, end: number, into: S): void;
  /** Which element of repeated `field` was being read when reading it threw (asked on errors only). */
  elementIndex?(into: S, field: number): number;
  /** The path segment of an error while reading a tag; none by default (the tag has no name). */
  readonly tagName?: string;
}

/**
 * Walks the fields of the message in [r.pos, end), handing each to `message.readField`. The one loop
 * every message decoder shares: it checks that the last field ended exactly at `end`, and locates
 * any error at the field being read, so `resource_spans[0].scope_spans[1].spans[3].trace_id: truncated`
 * is built one segment per message on the way up.
 */
export function readFields<S>(r: ProtoReader, end: number, message: MessageFields<S>, into: S): void {
  let field = 0;
  try {
    while (r.pos < end) {
      field = 0;
      const tag = r.uint32();
      field = tag >>> 3;
      message.readField(r, field, tag & 7, end, into);
    }
    if (r.pos !== end) throw new DecodeError('truncated');
  } catch (err) {
    if (field === 0)
      throw message.tagName === undefined ? atField(err, message.names, 0, 0) : locate(err, message.tagName);
    throw atField(err, message.names, field, message.elementIndex?.(into, field) ?? 0);
  }
}
