import { stripControlCharacters } from '@joblens/analyzer';

/** Where the demo writes: `write` is enough, so a test can pass any stream. */
export interface OutputStream {
  write(text: string): unknown;
}

/**
 * The demo's terminal: lines that stay (findings, notices) and one progress status. The text it is
 * given holds job names and error messages from workers, so its control characters are stripped; the
 * only escapes written are this class's own. On a TTY the status is a single line rewritten in place
 * under the lines; elsewhere (CI logs, pipes) it is printed as a plain line every
 * `plainProgressEveryMillis`, so logs stay readable.
 */
export class TerminalOutput {
  private status = '';
  private lastPlainAtMs = 0;

  constructor(
    private readonly stream: OutputStream,
    private readonly isTty: boolean,
    /** Default 10000. */
    private readonly plainProgressEveryMillis = 10_000,
  ) {}

  /** A line that stays. */
  line(raw = ''): void {
    const text = stripControlCharacters(raw);
    if (this.isTty && this.status) this.stream.write(`\r\x1b[2K${text}\n${this.status}`);
    else this.stream.write(`${text}\n`);
  }

  /** Replaces the progress status. */
  progress(raw: string, nowMs = Date.now()): void {
    const text = stripControlCharacters(raw, { singleLine: true });
    if (this.isTty) {
      this.status = text;
      this.stream.write(`\r\x1b[2K${text}`);
      return;
    }
    if (nowMs - this.lastPlainAtMs < this.plainProgressEveryMillis) return;
    this.lastPlainAtMs = nowMs;
    this.stream.write(`${text}\n`);
  }

  /** Ends the status line so what follows starts on a fresh line. */
  endProgress(): void {
    if (this.isTty && this.status) this.stream.write(`\r\x1b[2K${this.status}\n`);
    this.status = '';
  }
}
