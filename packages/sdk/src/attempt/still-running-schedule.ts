type Entry = { dueMs: number; emit: () => void };

/**
 * One timer for every running attempt: each attempt is due every `intervalMillis` after its start,
 * and the timer sleeps until the earliest due attempt. Unref'd, so it never keeps a worker alive.
 */
export class StillRunningSchedule {
  readonly #intervalMillis: number;
  readonly #onError: (error: unknown) => void;
  readonly #entries = new Map<string, Entry>();
  #timer: NodeJS.Timeout | undefined;
  #timerDueMs = Number.POSITIVE_INFINITY;
  #stopped = false;

  constructor(intervalMillis: number, onError: (error: unknown) => void) {
    this.#intervalMillis = intervalMillis;
    this.#onError = onError;
  }

  add(key: string, startedAtMs: number, emit: () => void): void {
    if (this.#stopped) return;
    const dueMs = startedAtMs + this.#intervalMillis;
    this.#entries.set(key, { dueMs, emit });
    // The hot path: a new attempt is usually due after the armed timer, so there is nothing to do.
    if (this.#timer && dueMs >= this.#timerDueMs) return;
    this.#armAt(dueMs);
  }

  remove(key: string): void {
    this.#entries.delete(key);
    if (this.#entries.size === 0) this.#disarm();
  }

  stop(): void {
    this.#stopped = true;
    this.#entries.clear();
    this.#disarm();
  }

  #disarm(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#timerDueMs = Number.POSITIVE_INFINITY;
  }

  #arm(): void {
    let earliest = Number.POSITIVE_INFINITY;
    for (const entry of this.#entries.values()) earliest = Math.min(earliest, entry.dueMs);
    if (earliest === Number.POSITIVE_INFINITY) {
      this.#disarm();
      return;
    }
    this.#armAt(earliest);
  }

  #armAt(dueMs: number): void {
    this.#disarm();
    this.#timerDueMs = dueMs;
    this.#timer = setTimeout(() => this.#fire(), Math.max(0, dueMs - Date.now()));
    this.#timer.unref();
  }

  #fire(): void {
    this.#timer = undefined;
    this.#timerDueMs = Number.POSITIVE_INFINITY;
    const now = Date.now();
    for (const entry of [...this.#entries.values()]) {
      if (entry.dueMs > now) continue;
      // A loop blocked for several intervals yields one record, not a burst of stale ones.
      const next = entry.dueMs + this.#intervalMillis;
      entry.dueMs = next > now ? next : now + this.#intervalMillis;
      try {
        entry.emit();
      } catch (error) {
        this.#onError(error);
      }
    }
    this.#arm();
  }
}
