import { type ActiveAttempt, currentStepOf } from '../active-attempts.js';

/**
 * Layout of the memory the main thread shares with the watchdog thread. Int32 cells, then UTF-8
 * text. The thread reads it while the main thread is blocked, so it is written synchronously at
 * each change and never through messages (which the blocked main thread would not send).
 */
export const SLOT_LAYOUT = {
  /** Ms since `baseMs` of the main loop's last turn. */
  heartbeat: 0,
  /** Odd while the main thread writes the attempt (a seqlock). */
  sequence: 1,
  hasAttempt: 2,
  attempt: 3,
  /** 0 when unknown. */
  maxAttempts: 4,
  /** Ms since `baseMs` (negative when the attempt started before the watchdog). */
  startedAt: 5,
  lastActivity: 6,
  textLength: 7,
  /** Always 0: the watchdog thread sleeps on it with `Atomics.wait` between checks. */
  idle: 8,
  /**
   * Byte offset of the text, NUL-separated: job name, queue and system (a prefix, the same for most jobs
   * in a row, so written only when it changes), then job id, trace id, span id and step.
   */
  textOffset: 64,
  textCapacity: 2048,
} as const;

const SLOT_BYTES = SLOT_LAYOUT.textOffset + SLOT_LAYOUT.textCapacity;

const encoder = new TextEncoder();

/** Main-thread side: publishes the heartbeat and which attempt (and step) runs now. */
export class AttemptSlot {
  readonly buffer = new SharedArrayBuffer(SLOT_BYTES);
  readonly baseMs = Date.now();
  readonly #cells = new Int32Array(this.buffer, 0, SLOT_LAYOUT.textOffset / 4);
  readonly #text = new Uint8Array(this.buffer, SLOT_LAYOUT.textOffset, SLOT_LAYOUT.textCapacity);
  #current: ActiveAttempt | undefined;
  #currentStep: string | undefined;
  /** What the text's prefix now holds, and where the rest starts. */
  #prefix: { jobName: string; queue: string; system: string | undefined } | undefined;
  #rest = this.#text;
  #restOffset = 0;

  beat(nowMs = Date.now()): void {
    Atomics.store(this.#cells, SLOT_LAYOUT.heartbeat, nowMs - this.baseMs);
  }

  /** Ms since `baseMs` of the last published heartbeat. */
  lastBeat(): number {
    return Atomics.load(this.#cells, SLOT_LAYOUT.heartbeat);
  }

  get current(): ActiveAttempt | undefined {
    return this.#current;
  }

  /** Cheap when nothing the thread reports changed: only the activity time is stored then. */
  publish(attempt: ActiveAttempt | undefined): void {
    const cells = this.#cells;
    const step = attempt ? currentStepOf(attempt) : undefined;
    if (attempt === this.#current && step === this.#currentStep) {
      if (attempt) Atomics.store(cells, SLOT_LAYOUT.lastActivity, attempt.lastActivityMs - this.baseMs);
      return;
    }
    this.#current = attempt;
    this.#currentStep = step;
    Atomics.add(cells, SLOT_LAYOUT.sequence, 1);
    if (!attempt) {
      cells[SLOT_LAYOUT.hasAttempt] = 0;
    } else {
      const d = attempt.descriptor;
      const prefix = this.#prefix;
      if (!prefix || prefix.jobName !== d.jobName || prefix.queue !== d.queue || prefix.system !== d.system) {
        this.#writePrefix(d.jobName, d.queue, d.system);
      }
      const rest = `${d.jobId}\0${attempt.traceId}\0${attempt.spanId}\0${step ?? ''}`;
      cells[SLOT_LAYOUT.textLength] = this.#restOffset + encoder.encodeInto(rest, this.#rest).written;
      cells[SLOT_LAYOUT.attempt] = d.attempt ?? 1;
      cells[SLOT_LAYOUT.maxAttempts] = d.maxAttempts ?? 0;
      cells[SLOT_LAYOUT.startedAt] = attempt.startedAtMs - this.baseMs;
      cells[SLOT_LAYOUT.lastActivity] = attempt.lastActivityMs - this.baseMs;
      cells[SLOT_LAYOUT.hasAttempt] = 1;
    }
    Atomics.add(cells, SLOT_LAYOUT.sequence, 1);
  }

  /** Called inside the seqlock's write. */
  #writePrefix(jobName: string, queue: string, system: string | undefined): void {
    this.#prefix = { jobName, queue, system };
    this.#restOffset = encoder.encodeInto(`${jobName}\0${queue}\0${system ?? ''}\0`, this.#text).written;
    this.#rest = this.#text.subarray(this.#restOffset);
  }
}
