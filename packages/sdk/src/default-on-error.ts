const WINDOW_MILLIS = 60_000;
const MAX_LINES_PER_WINDOW = 10;

/** Groups errors whose messages differ only in numbers, ids or addresses. */
function kindOf(error: Error): string {
  const firstLine = (error.message ?? '').split('\n')[0].slice(0, 120);
  return `${error.name}:${firstLine.replace(/[0-9a-f]{8,}|\d+/gi, '#')}`;
}

/**
 * The default `onError`: instrumentation trouble (an unreachable collector, say) is worth one line on
 * stderr, not a flood that drowns the worker's own logs. One line per kind of error per minute, at
 * most ten lines a minute in all.
 */
export function createDefaultOnError(
  write: (line: string) => void = (line) => process.stderr.write(line),
): (error: Error) => void {
  const lastWarnedAt = new Map<string, number>();
  let windowStart = 0;
  let linesInWindow = 0;
  return (error: Error) => {
    try {
      const now = Date.now();
      const kind = kindOf(error instanceof Error ? error : new Error(String(error)));
      const last = lastWarnedAt.get(kind);
      if (last !== undefined && now - last < WINDOW_MILLIS) return;
      if (now - windowStart >= WINDOW_MILLIS) {
        windowStart = now;
        linesInWindow = 0;
      }
      if (linesInWindow >= MAX_LINES_PER_WINDOW) return;
      linesInWindow++;
      if (lastWarnedAt.size > 1000) lastWarnedAt.clear();
      lastWarnedAt.set(kind, now);
      const message = error instanceof Error ? error.message : String(error);
      const cause =
        error instanceof Error && error.cause instanceof Error ? ` (cause: ${error.cause.message})` : '';
      write(`joblens: warning: ${message}${cause} (further errors like this are muted for a minute)\n`);
    } catch {
      // Reporting an error must never raise one.
    }
  };
}
