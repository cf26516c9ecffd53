import { BytesCache } from './bytes-cache.js';

/** Longer text is decoded every time: it is rarely repeated (messages, stack traces). */
const MAX_CACHED_BYTES = 48;
const cache = new BytesCache<string>(12, MAX_CACHED_BYTES, '');

type Slices = Buffer & { utf8Slice(start: number, end: number): string };

/**
 * The UTF-8 text of bytes [start, end) of a non-empty range in `buf` (`view` over the same bytes).
 * Short text comes from a cache shared by all decoders when the same bytes were seen before.
 */
export function internedText(buf: Buffer, view: DataView, start: number, end: number): string {
  if (end - start > MAX_CACHED_BYTES) return (buf as Slices).utf8Slice(start, end);
  const cached = cache.find(buf, view, start, end);
  if (cached !== undefined) return cached;
  const text = (buf as Slices).utf8Slice(start, end);
  cache.set(cache.lastSlot, buf, view, start, end, text);
  return text;
}
