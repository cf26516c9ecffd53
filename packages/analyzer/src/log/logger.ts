/**
 * Where the analyzer tells operators what went wrong or changed: one interface so an embedder (or a test)
 * passes its own through `createAnalyzer`'s `logger` dependency, and one default so every line looks alike.
 * Messages are plain sentences without the `joblens:` prefix; the default logger adds it.
 */
export interface Logger {
  /** Something an operator may want to know that needs no action (a store that works again). */
  info(message: string): void;
  /** Something degraded that the analyzer works around (a detector that threw, a dropped alert). */
  warn(message: string, cause?: unknown): void;
  /** Something failed that an operator should look at; `cause` is the error that was caught. */
  error(message: string, cause?: unknown): void;
}

/**
 * The text of a caught value on one line: an Error's message followed by its causes' messages, so a log
 * line can be read (and grepped) without a stack trace spread over twenty lines.
 */
function describeCause(cause: unknown): string {
  const parts: string[] = [];
  let current: unknown = cause;
  // Bounded: a cause chain can loop back on itself.
  for (let depth = 0; current !== undefined && depth < 5; depth += 1) {
    parts.push(current instanceof Error ? current.message || current.name : String(current));
    current = current instanceof Error ? current.cause : undefined;
  }
  return parts.join(': ').replace(/\s*\n\s*/g, ' ');
}

/** `joblens: <message>` (and `: <cause>` when one is given) as a single line. */
export function formatLogLine(message: string, cause?: unknown): string {
  const line = cause === undefined ? message : `${message}: ${describeCause(cause)}`;
  return `joblens: ${line.replace(/\s*\n\s*/g, ' ')}`;
}

/** The default: every level to stderr, one line per message, so stdout stays free for what a CLI prints. */
export const stderrLogger: Logger = {
  info: (message) => process.stderr.write(`${formatLogLine(message)}\n`),
  warn: (message, cause) => process.stderr.write(`${formatLogLine(message, cause)}\n`),
  error: (message, cause) => process.stderr.write(`${formatLogLine(message, cause)}\n`),
};

/** A logger that keeps its lines (without the prefix) for tests to read; a real implementation, not a mock. */
export class MemoryLogger implements Logger {
  readonly lines: { level: 'info' | 'warn' | 'error'; text: string }[] = [];

  info(message: string): void {
    this.lines.push({ level: 'info', text: message });
  }

  warn(message: string, cause?: unknown): void {
    this.lines.push({ level: 'warn', text: withCause(message, cause) });
  }

  error(message: string, cause?: unknown): void {
    this.lines.push({ level: 'error', text: withCause(message, cause) });
  }
}

function withCause(message: string, cause: unknown): string {
  return cause === undefined ? message : `${message}: ${describeCause(cause)}`;
}
