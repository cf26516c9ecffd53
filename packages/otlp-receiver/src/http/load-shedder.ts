/**
 * Bounds on what the receiver holds at once. Past them a request is refused before its body is read
 * (429 with Retry-After, which OTLP exporters honour), instead of every request being accepted and
 * held: 200 slow 8 MiB uploads once added 1.55 GB, held until the 300 s request timeout.
 */
export interface LoadLimits {
  /** Export requests being received, decoded or stored at once. Default 32. */
  maxConcurrentRequests: number;
  /**
   * Request bytes reserved at once: a request reserves its Content-Length (or `maxBodyBytes` when it
   * does not declare one) from its start to its answer. Default 64 MiB.
   */
  maxBufferedBytes: number;
}

export const DEFAULT_LOAD_LIMITS: Readonly<LoadLimits> = {
  maxConcurrentRequests: 32,
  maxBufferedBytes: 64 * 1024 * 1024,
};

/** Defaults applied and every value checked; an error names the option, the expected and the given. */
export function resolveLoadLimits(limits: Partial<LoadLimits> = {}): LoadLimits {
  const resolved = { ...DEFAULT_LOAD_LIMITS };
  for (const [name, value] of Object.entries(limits)) {
    if (value === undefined) continue;
    if (!(name in DEFAULT_LOAD_LIMITS)) throw new TypeError(`load limit ${name}: unknown option`);
    if (!Number.isSafeInteger(value) || (value as number) < 1) {
      throw new RangeError(`load limit ${name}: expected a positive integer, got ${String(value)}`);
    }
    resolved[name as keyof LoadLimits] = value as number;
  }
  return resolved;
}

/** Why a request was refused, for its answer. */
export type ShedReason = 'requests' | 'bytes';

/** Counts what is in flight; `admit` reserves, the returned release gives it back (once). */
export class LoadShedder {
  inFlightRequests = 0;
  bufferedBytes = 0;
  /** Requests refused so far, by reason. */
  readonly shed: Record<ShedReason, number> = { requests: 0, bytes: 0 };
  /** When the last request was refused (clock ms), or -Infinity. */
  lastShedMs = Number.NEGATIVE_INFINITY;

  constructor(
    readonly limits: LoadLimits,
    private readonly clock: () => number = Date.now,
  ) {}

  /** A release function when the request may go on, else the reason it is refused. */
  admit(reservedBytes: number): (() => void) | ShedReason {
    let reason: ShedReason | undefined;
    if (this.inFlightRequests >= this.limits.maxConcurrentRequests) reason = 'requests';
    // One request alone always fits, however large: maxBodyBytes bounds it on its own.
    else if (this.inFlightRequests > 0 && this.bufferedBytes + reservedBytes > this.limits.maxBufferedBytes)
      reason = 'bytes';
    if (reason !== undefined) {
      this.shed[reason] += 1;
      this.lastShedMs = this.clock();
      return reason;
    }
    this.inFlightRequests += 1;
    this.bufferedBytes += reservedBytes;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.inFlightRequests -= 1;
      this.bufferedBytes -= reservedBytes;
    };
  }
}
