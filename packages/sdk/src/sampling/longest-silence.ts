/**
 * The longest interval, in ms, between consecutive activity instants inside [startMs, endMs]:
 * what the analyzer calls a mystery gap when it is long. Instants outside the range are clamped.
 */
export function longestSilenceMillis(startMs: number, endMs: number, instantsMs: readonly number[]): number {
  const points = [startMs, endMs, ...instantsMs.map((t) => Math.min(endMs, Math.max(startMs, t)))].sort(
    (a, b) => a - b,
  );
  let longest = 0;
  for (let i = 1; i < points.length; i++) longest = Math.max(longest, points[i] - points[i - 1]);
  return longest;
}
