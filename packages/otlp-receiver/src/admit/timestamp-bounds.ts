/**
 * How far from the receiver's clock a record's time may be. A worker whose clock says 2500 would
 * otherwise be "last seen" centuries ahead and never reported gone; a record older than the model
 * keeps anything for would only be pruned again.
 */
export interface TimestampBounds {
  /** Times more than this far ahead of the clock are set to the clock's time (clamped). Default 600. */
  maxFutureSkewSeconds: number;
  /** Records whose time (a span's end) is older than this are rejected. Default 3600. */
  maxTimestampAgeSeconds: number;
  /** Current time in Unix ms. Default `Date.now`. */
  clock: () => number;
}

const DEFAULT_TIMESTAMP_BOUNDS: Readonly<TimestampBounds> = {
  maxFutureSkewSeconds: 600,
  maxTimestampAgeSeconds: 3600,
  clock: Date.now,
};

/** Defaults applied and every value checked; an error names the option, the expected and the given. */
export function resolveTimestampBounds(bounds: Partial<TimestampBounds> = {}): TimestampBounds {
  const resolved = { ...DEFAULT_TIMESTAMP_BOUNDS };
  for (const [name, value] of Object.entries(bounds)) {
    if (value === undefined) continue;
    if (name === 'clock') {
      if (typeof value !== 'function')
        throw new TypeError(`timestamp bound clock: expected a function, got ${typeof value}`);
      resolved.clock = value as () => number;
    } else if (name === 'maxFutureSkewSeconds' || name === 'maxTimestampAgeSeconds') {
      if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
        throw new RangeError(`timestamp bound ${name}: expected a positive number, got ${String(value)}`);
      }
      resolved[name] = value;
    } else {
      throw new TypeError(`timestamp bound ${name}: unknown option`);
    }
  }
  return resolved;
}

/** The window of one request, read from the clock once. */
export interface TimeWindow {
  nowMs: number;
  /** Later than this is clamped to `nowMs`. */
  latestMs: number;
  /** Earlier than this is rejected. */
  earliestMs: number;
}

export function timeWindowOf(bounds: TimestampBounds): TimeWindow {
  const nowMs = bounds.clock();
  return {
    nowMs,
    latestMs: nowMs + bounds.maxFutureSkewSeconds * 1000,
    earliestMs: nowMs - bounds.maxTimestampAgeSeconds * 1000,
  };
}
