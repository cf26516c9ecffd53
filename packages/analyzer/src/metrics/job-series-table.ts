import type { SeriesLimits } from './series-limits.js';

/** The label value that stands for every name past the cap. */
const OTHER_LABEL = '__other__';
/**
 * Queues (service + queue) that get an overflow series of their own; past them the overflow of every
 * further queue goes to one series with all three labels `__other__`, so the overflow is bounded too.
 */
const MAX_OVERFLOW_QUEUES = 1000;

export interface JobLabels {
  service: string;
  queue: string;
  job_name: string;
}

interface Entry<S> {
  series: S;
  lastSeenMs: number;
}

/**
 * Per-job-name series of the job metrics, at most `maxLabelSets` label sets plus the overflow ones,
 * each dropped after `seriesIdleSeconds` without an attempt. 1M distinct job names once took
 * /metrics to `RangeError: Invalid string length` and the heap to 98%.
 */
export class JobSeriesTable<S> {
  private readonly named = new Map<string, Entry<S>>();
  private readonly overflow = new Map<string, Entry<S>>();

  constructor(
    private readonly limits: SeriesLimits,
    private readonly maxLabelSets: number,
    private readonly create: (labels: JobLabels) => S,
    private readonly onExpire: (series: S) => void,
  ) {}

  /** Series held: named ones and overflow ones. */
  get size(): number {
    return this.named.size + this.overflow.size;
  }

  /** The series of this label set, created when there is room, else its overflow series. */
  get(service: string, queue: string, jobName: string): S {
    const now = this.limits.clock();
    const key = `${service}\u0000${queue}\u0000${jobName}`;
    let entry = this.named.get(key);
    if (entry === undefined) {
      if (this.named.size >= this.maxLabelSets) return this.overflowOf(service, queue, now);
      entry = { series: this.create({ service, queue, job_name: jobName }), lastSeenMs: now };
      this.named.set(key, entry);
    }
    entry.lastSeenMs = now;
    return entry.series;
  }

  private overflowOf(service: string, queue: string, now: number): S {
    let key = `${service}\u0000${queue}`;
    let entry = this.overflow.get(key);
    if (entry === undefined && this.overflow.size >= MAX_OVERFLOW_QUEUES) {
      key = '';
      entry = this.overflow.get(key);
      service = OTHER_LABEL;
      queue = OTHER_LABEL;
    }
    if (entry === undefined) {
      entry = { series: this.create({ service, queue, job_name: OTHER_LABEL }), lastSeenMs: now };
      this.overflow.set(key, entry);
    }
    entry.lastSeenMs = now;
    return entry.series;
  }

  /** Drops the series idle for `seriesIdleSeconds`, telling `onExpire` of each. */
  expireIdle(): void {
    const cutoff = this.limits.clock() - this.limits.seriesIdleSeconds * 1000;
    for (const map of [this.named, this.overflow]) {
      for (const [key, entry] of map) {
        if (entry.lastSeenMs >= cutoff) continue;
        map.delete(key);
        this.onExpire(entry.series);
      }
    }
  }
}
