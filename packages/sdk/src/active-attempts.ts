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
 * Registry of the attempts running in this process, keyed by attempt span id. Attempts may run
 * concurrently, so the step stack is per attempt rather than global.
 */
export class ActiveAttempts implements ActiveAttemptsView {
  readonly #attempts = new Map<string, MutableAttempt>();
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
    };
    this.#attempts.set(init.spanId, attempt);
    this.#notify(attempt, false);
    return attempt;
  }

  remove(spanId: string): void {
    const attempt = this.#attempts.get(spanId);
    if (!attempt) return;
    this.#attempts.delete(spanId);
    this.#notify(attempt, true);
  }

  get(spanId: string): ActiveAttempt | undefined {
    return this.#attempts.get(spanId);
  }

  touch(spanId: string, nowMs: number): void {
    const attempt = this.#attempts.get(spanId);
    if (!attempt) return;
    attempt.lastActivityMs = nowMs;
    this.#notify(attempt, false);
  }

  enterStep(spanId: string, step: string, nowMs: number): void {
    const attempt = this.#attempts.get(spanId);
    if (!attempt) return;
    if (attempt.steps === NO_STEPS) attempt.steps = [];
    attempt.steps.push(step);
    attempt.lastActivityMs = nowMs;
    this.#notify(attempt, false);
  }

  /** Removes the innermost occurrence of `step`: concurrent steps of one attempt may end out of order. */
  leaveStep(spanId: string, step: string, nowMs: number): void {
    const attempt = this.#attempts.get(spanId);
    if (!attempt) return;
    const index = attempt.steps.lastIndexOf(step);
    if (index >= 0) attempt.steps.splice(index, 1);
    attempt.lastActivityMs = nowMs;
    this.#notify(attempt, false);
  }

  recordCheckpoint(spanId: string, checkpoint: CheckpointRecord): void {
    const attempt = this.#attempts.get(spanId);
    if (!attempt) return;
    attempt.lastCheckpoint = checkpoint;
    attempt.lastActivityMs = checkpoint.atMs;
    this.#notify(attempt, false);
  }

  get size(): number {
    return this.#attempts.size;
  }

  list(): readonly ActiveAttempt[] {
    return [...this.#attempts.values()];
  }

  oldestAgeSeconds(nowMs: number): number {
    let oldest = Number.POSITIVE_INFINITY;
    for (const attempt of this.#attempts.values()) oldest = Math.min(oldest, attempt.startedAtMs);
    return oldest === Number.POSITIVE_INFINITY ? 0 : Math.max(0, nowMs - oldest) / 1000;
  }

  mostRecentlyActive(): ActiveAttempt | undefined {
    // Without copying the registry: the watchdog asks this each time its published attempt ends.
    let best: MutableAttempt | undefined;
    for (const attempt of this.#attempts.values()) {
      if (!best || attempt.lastActivityMs >= best.lastActivityMs) best = attempt;
    }
    return best;
  }

  mostSilent(nowMs: number): { attempt: ActiveAttempt; silenceSeconds: number } | undefined {
    let best: MutableAttempt | undefined;
    for (const attempt of this.#attempts.values()) {
      if (!best || attempt.lastActivityMs < best.lastActivityMs) best = attempt;
    }
    return best ? { attempt: best, silenceSeconds: silenceSecondsOf(best, nowMs) } : undefined;
  }
}
