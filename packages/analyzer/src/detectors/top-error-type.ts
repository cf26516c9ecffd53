/** The most frequent error type of a count map, with its count; undefined when empty. */
export function topErrorType(
  counts: ReadonlyMap<string, number>,
): { errorType: string; count: number } | undefined {
  let top: { errorType: string; count: number } | undefined;
  for (const [errorType, count] of counts) {
    if (top === undefined || count > top.count) top = { errorType, count };
  }
  return top;
}
