import type { BytesCache } from './bytes-cache.js';

type Slices = Buffer & { utf8Slice(start: number, end: number): string };

/**
 * The UTF-8 text of bytes [start, end) of a non-empty range in `buf` (`view` over the same bytes).
 * Short text comes from `cache` when the same bytes were seen before; longer text is decoded every time.
 */
export function internedText(
  cache: BytesCache<string>,
  buf: Buffer,
  view: DataView,
  start: number,
  end: number,
): string {
  if (end - start > cache.maxLength) return (buf as Slices).utf8Slice(start, end);
  const cached = cache.find(buf, view, start, end);
  if (cached !== undefined) return cached;
  const text = (buf as Slices).utf8Slice(start, end);
  cache.set(cache.lastSlot, buf, view, start, end, text);
  return text;
}
