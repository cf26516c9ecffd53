/** What the schedule holds: anything that knows when it is next due, and can hold its place. */
export type Scheduled = { dueMs: number; scheduleIndex: number };

/**
 * One timer for every running attempt: each attempt is called when its `dueMs` passes, and says when
 * it is next due. The timer sleeps until the earliest due attempt. Unref'd, so it never keeps a
 * worker alive.
 *
 * Attempts sit in an array and remember their index, so starting and ending one neither allocates
 * nor hashes (a Set of them churned its table on every job). Removing an attempt leaves the timer
 * armed: most attempts end long before they are due, and clearing and re-arming a timer per job
 * cost more than one idle wake-up per delay.
 */
export class StillRunningSchedule<T extends Scheduled> {
  readonly #onDue: (target: T, nowMs: number) => number;
  readonly #onError: (error: unknown) => void;
  readonly #entries: T[] = [];
  #timer: NodeJS.Timeout | undefined;
  #timerDueMs = Number.POSITIVE_INFINITY;
  #stopped = false;

  /** `onDue` does the target's work and returns when it is next due (Unix ms). */
  constructor(onDue: (target: T, nowMs: number) => number, onError: (error: unknown) => void) {
    this.#onDue = onDue;
    this.#onError = onError;
  }

  add(target: T): void {
    if (this.#stopped || target.scheduleIndex >= 0) return;
    target.scheduleIndex = this.#entries.length;
    this.#entries.push(target);
    // The hot path: a new attempt is usually due after the armed timer, so there is nothing to do.
    if (this.#timer && target.dueMs >= this.#timerDueMs) return;
    this.#armAt(target.dueMs);
  }

  remove(target: T): void {
    const index = target.scheduleIndex;
    if (index < 0 || this.#entries[index] !== target) return;
    // The last entry takes the removed one's place.
    const last = this.#entries.pop() as T;
    if (last !== target) {
      this.#entries[index] = last;
      last.scheduleIndex = index;
    }
    target.scheduleIndex = -1;
  }

  has(target: T): boolean {
    return target.scheduleIndex >= 0 && this.#entries[target.scheduleIndex] === target;
  }

  stop(): void {
    this.#stopped = true;
    for (const target of this.#entries) target.scheduleIndex = -1;
    this.#entries.length = 0;
    this.#disarm();
  }

  #disarm(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#timerDueMs = Number.POSITIVE_INFINITY;
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
    let earliest = Number.POSITIVE_INFINITY;
    for (const target of [...this.#entries]) {
      if (target.dueMs <= now) {
        try {
          const next = this.#onDue(target, now);
          // Never due again in the past: a loop blocked for several intervals yields one record.
          target.dueMs = next > now ? next : now + 1;
        } catch (error) {
          this.#onError(error);
          this.remove(target);
          continue;
        }
      }
      if (this.has(target)) earliest = Math.min(earliest, target.dueMs);
    }
    if (earliest !== Number.POSITIVE_INFINITY && !this.#stopped) this.#armAt(earliest);
  }
}
