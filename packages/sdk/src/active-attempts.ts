import type { AttemptDescriptor } from './interfaces.js';

/** The last checkpoint an attempt passed, as recorded on its span. */
export type CheckpointRecord = {
  readonly name: string;
  /** JSON text, already bounded. */
  readonly data?: string;
  readonly atMs: number;
};

/** One running attempt, as the SDK's timers, snapshots, dumps and watchdog see it. */
export type ActiveAttempt = {
  readonly descriptor: AttemptDescriptor;
  readonly traceId: string;
  readonly spanId: string;
  /** Unix ms. */
  readonly startedAtMs: number;
  /** Unix ms of the last step start or end, event or checkpoint. */
  readonly lastActivityMs: number;
  /** Open steps, outermost first. */
  readonly steps: readonly string[];
  readonly lastCheckpoint?: CheckpointRecord;
};

/**
 * Called synchronously after an attempt is added or removed, or enters, leaves or marks progress.
 * The watchdog needs this: when a job blocks the event loop right after entering a step, no timer
 * gets to run on the main thread, so the step must be published at the moment it changes.
 */
export type AttemptChangeListener = (attempt: ActiveAttempt, removed: boolean) => void;

/** Read-only view of the registry, handed to features. */
export type ActiveAttemptsView = {
  /** Subscribes to changes; returns the function that unsubscribes. Listeners must be cheap and never throw. */
  onChange(listener: AttemptChangeListener): () => void;
  list(): readonly ActiveAttempt[];
  /** Age in seconds of the oldest running attempt; 0 when none. */
  oldestAgeSeconds(nowMs: number): number;
  /** The attempt silent for the longest time, with its silence in seconds; undefined when none run. */
  mostSilent(nowMs: number): { attempt: ActiveAttempt; silenceSeconds: number } | undefined;
  /** The attempt with the latest activity (the later added on a tie); undefined when none run. */
  mostRecentlyActive(): ActiveAttempt | undefined;
};

/** Shared by every attempt until its first step: most jobs never open one. */
const NO_STEPS: string[] = [];

type MutableAttempt = {
  descriptor: AttemptDescriptor;
  traceId: string;
  spanId: string;
  startedAtMs: number;
  lastActivityMs: number;
  steps: string[];
  lastCheckpoint?: CheckpointRecord;
  /** Neighbours in the registry's list (older, newer); both null once removed. */
  older: MutableAttempt | null;
  newer: MutableAttempt | null;
};

/** The innermost open step of an attempt, if any. */
export function currentStepOf(attempt: ActiveAttempt): string | undefined {
  return attempt.steps.length > 0 ? attempt.steps[attempt.steps.length - 1] : undefined;
}

/** Seconds since the attempt's last activity, never negative. */
export function silenceSecondsOf(attempt: ActiveAttempt, nowMs: number): number {
  return Math.max(0, nowMs - attempt.lastActivityMs) / 1000;
}

/**
 * Registry of the attempts running in this process, oldest first. Attempts may run concurrently, so
 * the step stack is per attempt rather than global. Kept as a list linked through the attempts
 * themselves, and changed through the attempt object rather than by id: every job adds and removes
 * one, and a map keyed by span id churned its hash table (allocating) at the sizes a worker has.
 */
export class ActiveAttempts implements ActiveAttemptsView {
  #oldest: MutableAttempt | null = null;
  #newest: MutableAttempt | null = null;
  #size = 0;
  readonly #listeners = new Set<AttemptChangeListener>();

  onChange(listener: AttemptChangeListener): () => void {
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  }

  #notify(attempt: MutableAttempt, removed: boolean): void {
    if (this.#listeners.size === 0) return;
    for (const listener of this.#listeners) {
      try {
        listener(attempt, removed);
      } catch {
        // A listener's failure must never reach the job that caused the change.
      }
    }
  }

  add(init: {
    descriptor: AttemptDescriptor;
    traceId: string;
    spanId: string;
    startedAtMs: number;
  }): ActiveAttempt {
    // Spelled out rather than spread: this runs once per job.
    const attempt: MutableAttempt = {
      descriptor: init.descriptor,
      traceId: init.traceId,
      spanId: init.spanId,
      startedAtMs: init.startedAtMs,
      lastActivityMs: init.startedAtMs,
      steps: NO_STEPS,
      older: this.#newest,
      newer: null,
    };
    if (this.#newest) this.#newest.newer = attempt;
    else this.#oldest = attempt;
    this.#newest = attempt;
    this.#size++;
    this.#notify(attempt, false);
    return attempt;
  }

  remove(active: ActiveAttempt): void {
    const attempt = active as MutableAttempt;
    const { older, newer } = attempt;
    // Not in the list (removed before, or never added): nothing to do.
    if (!older && !newer && this.#oldest !== attempt) return;
    if (older) older.newer = newer;
    else this.#oldest = newer;
    if (newer) newer.older = older;
    else this.#newest = older;
    attempt.older = null;
    attempt.newer = null;
    this.#size--;
    this.#notify(attempt, true);
  }

  touch(active: ActiveAttempt, nowMs: number): void {
    const attempt = active as MutableAttempt;
    attempt.lastActivityMs = nowMs;
    this.#notify(attempt, false);
  }

  enterStep(active: ActiveAttempt, step: string, nowMs: number): void {
    const attempt = active as MutableAttempt;
    if (attempt.steps === NO_STEPS) attempt.steps = [];
    attempt.steps.push(step);
    attempt.lastActivityMs = nowMs;
    this.#notify(attempt, false);
  }

  /** Removes the innermost occurrence of `step`: concurrent steps of one attempt may end out of order. */
  leaveStep(active: ActiveAttempt, step: string, nowMs: number): void {
    const attempt = active as MutableAttempt;
    const index = attempt.steps.lastIndexOf(step);
    if (index >= 0) attempt.steps.splice(index, 1);
    attempt.lastActivityMs = nowMs;
    this.#notify(attempt, false);
  }

  recordCheckpoint(active: ActiveAttempt, checkpoint: CheckpointRecord): void {
    const attempt = active as MutableAttempt;
    attempt.lastCheckpoint = checkpoint;
    attempt.lastActivityMs = checkpoint.atMs;
    this.#notify(attempt, false);
  }

  get size(): number {
    return this.#size;
  }

  list(): readonly ActiveAttempt[] {
    const attempts: ActiveAttempt[] = [];
    for (let a = this.#oldest; a; a = a.newer) attempts.push(a);
    return attempts;
  }

  oldestAgeSeconds(nowMs: number): number {
    let oldest = Number.POSITIVE_INFINITY;
    for (let a = this.#oldest; a; a = a.newer) oldest = Math.min(oldest, a.startedAtMs);
    return oldest === Number.POSITIVE_INFINITY ? 0 : Math.max(0, nowMs - oldest) / 1000;
  }

  mostRecentlyActive(): ActiveAttempt | undefined {
    let best: MutableAttempt | undefined;
    for (let a = this.#oldest; a; a = a.newer) {
      if (!best || a.lastActivityMs >= best.lastActivityMs) best = a;
    }
    return best;
  }

  mostSilent(nowMs: number): { attempt: ActiveAttempt; silenceSeconds: number } | undefined {
    let best: MutableAttempt | undefined;
    for (let a = this.#oldest; a; a = a.newer) {
      if (!best || a.lastActivityMs < best.lastActivityMs) best = a;
    }
    return best ? { attempt: best, silenceSeconds: silenceSecondsOf(best, nowMs) } : undefined;
  }
}
