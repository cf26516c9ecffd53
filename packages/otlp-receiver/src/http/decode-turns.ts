/**
 * Lets one request decode per turn of the event loop. Decoding is synchronous: when many uploads end
 * in one poll phase, their decodes ran back to back and every other socket, `/healthz` and the page
 * among them, waited for all of them (3.96 s at the median under a flood). Queued here, each decode
 * runs from its own `setImmediate`, so the poll phase that serves the other sockets comes between two.
 */
export class DecodeTurns {
  private readonly waiting: Array<() => void> = [];
  private scheduled = false;

  /** Resolves when it is this caller's turn; the caller's synchronous work then runs in that turn. */
  next(): Promise<void> {
    return new Promise((resolve) => {
      this.waiting.push(resolve);
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled || this.waiting.length === 0) return;
    this.scheduled = true;
    setImmediate(this.runOne);
  }

  private readonly runOne = (): void => {
    this.scheduled = false;
    this.waiting.shift()?.();
    // Scheduled from inside the check phase, the next one waits for the next turn (after its poll).
    this.schedule();
  };
}
