import type { AttrValue } from '../records/records.js';
import { BytesCache } from './bytes-cache.js';

/** Longer text is decoded every time: it is rarely repeated (messages, stack traces). */
const MAX_CACHED_TEXT_BYTES = 48;
/** Longer KeyValue messages are read every time. */
const MAX_CACHED_PAIR_BYTES = 64;

/** An attribute read from a KeyValue message with a scalar value: safe to share between records. */
export interface KeyValuePair {
  key: string;
  value: AttrValue;
}

/**
 * The byte-keyed caches of one protobuf decoder. Attribute keys, names and most key/value pairs repeat
 * in every span of a batch and from one batch to the next, so a receiver keeps one `DecodeCaches` for
 * all the requests it decodes (decoding is synchronous, so two requests never use it at once); a
 * decode without one gets caches of its own. Nothing here is shared between decoders.
 */
export class DecodeCaches {
  /** Short UTF-8 strings by their bytes (`ProtoReader.string`). */
  readonly strings = new BytesCache<string>(12, MAX_CACHED_TEXT_BYTES, '');
  /** Whole KeyValue messages with a scalar value, by their bytes. */
  readonly pairs = new BytesCache<KeyValuePair>(11, MAX_CACHED_PAIR_BYTES, { key: '', value: null });
}
