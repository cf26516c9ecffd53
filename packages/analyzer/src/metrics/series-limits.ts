/** Bounds on the label sets /metrics shows for job names, which senders choose freely. */
export interface SeriesLimits {
  /**
   * Service + queue + job name label sets per job metric. Past it, attempts of new names are counted
   * under `job_name="__other__"` (and, past a thousand such queues, every label `__other__`).
   * Default 10000.
   */
  maxSeriesPerMetric: number;
  /** A label set with no attempt for this long leaves /metrics (and frees its slot). Default 900. */
  seriesIdleSeconds: number;
  /** Current time in Unix ms. Default `Date.now`. */
  clock: () => number;
}

const DEFAULT_SERIES_LIMITS: Readonly<SeriesLimits> = {
  maxSeriesPerMetric: 10_000,
  seriesIdleSeconds: 900,
  clock: Date.now,
};

/** Defaults applied and every value checked; an error names the option, the expected and the given. */
export function resolveSeriesLimits(limits: Partial<SeriesLimits> = {}): SeriesLimits {
  const resolved = { ...DEFAULT_SERIES_LIMITS };
  for (const [name, value] of Object.entries(limits)) {
    if (value === undefined) continue;
    if (name === 'clock') {
      if (typeof value !== 'function')
        throw new TypeError(`metrics option clock: expected a function, got ${typeof value}`);
      resolved.clock = value as () => number;
    } else if (name === 'maxSeriesPerMetric' || name === 'seriesIdleSeconds') {
      if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
        throw new RangeError(`metrics option ${name}: expected a positive number, got ${String(value)}`);
      }
      resolved[name] = value;
    } else {
      throw new TypeError(`metrics option ${name}: unknown option`);
    }
  }
  return resolved;
}
