import { JOB_OUTCOMES, type JobOutcome } from '@joblens/semconv';
import type { JobNameOutcomes } from './analyzer-view.js';

const OUTCOMES: ReadonlySet<string> = new Set(JOB_OUTCOMES);
/** A cumulative series whose start is this close to its point counts from zero (the worker just started). */
const FRESH_SERIES_MS = 60_000;

interface SeriesState {
  lastValue: number;
  lastTimeMs: number;
}

interface NameBuckets {
  service: string;
  queue: string;
  jobName: string;
  ids: Float64Array;
  /** Per bucket, counts by outcome in JOB_OUTCOMES order. */
  counts: Float64Array;
}

/**
 * Attempt outcomes per service + queue + job name from the SDK's `joblens.job.outcomes` counter, in time
 * buckets. Unlike spans, the counter is never sampled, so ratios read from it stay true when workers keep
 * only 1 in N healthy attempts.
 */
export class OutcomeCounters {
  private readonly series = new Map<string, SeriesState>();
  private readonly names = new Map<string, NameBuckets>();

  constructor(
    private readonly bucketMs: number,
    private readonly bucketCount: number,
    private readonly maxSeries: number,
  ) {}

  /** One point of the counter from one worker; `temporality` 1 = delta, else cumulative. Returns the attempts it adds. */
  record(
    worker: string,
    service: string,
    queue: string,
    jobName: string,
    outcome: string,
    value: number,
    timeMs: number,
    startTimeMs: number,
    temporality: number,
  ): number {
    if (!OUTCOMES.has(outcome) || !Number.isFinite(value) || value < 0) return 0;
    let delta: number;
    if (temporality === 1) {
      delta = value;
    } else {
      const key = `${worker}\u0000${service}\u0000${queue}\u0000${jobName}\u0000${outcome}`;
      const state = this.series.get(key);
      if (state === undefined) {
        if (this.series.size >= this.maxSeries) return 0;
        this.series.set(key, { lastValue: value, lastTimeMs: timeMs });
        delta = startTimeMs > 0 && timeMs - startTimeMs <= FRESH_SERIES_MS ? value : 0;
      } else {
        if (timeMs <= state.lastTimeMs) return 0;
        // A drop means the worker restarted its counter.
        delta = value >= state.lastValue ? value - state.lastValue : value;
        state.lastValue = value;
        state.lastTimeMs = timeMs;
      }
    }
    if (delta > 0) this.add(service, queue, jobName, outcome as JobOutcome, delta, timeMs);
    return delta;
  }

  private add(
    service: string,
    queue: string,
    jobName: string,
    outcome: JobOutcome,
    delta: number,
    timeMs: number,
  ) {
    const key = `${service}\u0000${queue}\u0000${jobName}`;
    let buckets = this.names.get(key);
    if (buckets === undefined) {
      if (this.names.size >= this.maxSeries) return;
      buckets = {
        service,
        queue,
        jobName,
        ids: new Float64Array(this.bucketCount).fill(-1),
        counts: new Float64Array(this.bucketCount * JOB_OUTCOMES.length),
      };
      this.names.set(key, buckets);
    }
    const id = Math.floor(timeMs / this.bucketMs);
    const slot = ((id % this.bucketCount) + this.bucketCount) % this.bucketCount;
    if (buckets.ids[slot] !== id) {
      if (buckets.ids[slot] > id) return;
      buckets.ids[slot] = id;
      buckets.counts.fill(0, slot * JOB_OUTCOMES.length, (slot + 1) * JOB_OUTCOMES.length);
    }
    buckets.counts[slot * JOB_OUTCOMES.length + JOB_OUTCOMES.indexOf(outcome)] += delta;
  }

  /** Outcomes per job name with any attempt ended at or after `sinceMs`. */
  *since(sinceMs: number): Iterable<JobNameOutcomes> {
    const firstId = Math.floor(sinceMs / this.bucketMs);
    for (const buckets of this.names.values()) {
      const counts = Object.fromEntries(JOB_OUTCOMES.map((outcome) => [outcome, 0])) as Record<
        JobOutcome,
        number
      >;
      let total = 0;
      for (let slot = 0; slot < this.bucketCount; slot++) {
        if (buckets.ids[slot] < firstId) continue;
        JOB_OUTCOMES.forEach((outcome, index) => {
          const count = buckets.counts[slot * JOB_OUTCOMES.length + index];
          counts[outcome] += count;
          total += count;
        });
      }
      if (total > 0)
        yield { service: buckets.service, queue: buckets.queue, jobName: buckets.jobName, counts, total };
    }
  }
}
