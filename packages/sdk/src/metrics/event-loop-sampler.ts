import { type IntervalHistogram, monitorEventLoopDelay, performance } from 'node:perf_hooks';

export type EventLoopSample = { delayP99Seconds: number; delayMaxSeconds: number; utilization: number };

/**
 * Event-loop delay and utilization since the previous sample. Several metric readers may collect in
 * the same moment, so a sample younger than `minSampleMillis` is reused rather than reset to empty.
 */
export class EventLoopSampler {
  readonly #histogram: IntervalHistogram;
  readonly #minSampleMillis: number;
  #utilizationBase = performance.eventLoopUtilization();
  #last: EventLoopSample = { delayP99Seconds: 0, delayMaxSeconds: 0, utilization: 0 };
  #lastAtMs = 0;

  constructor(minSampleMillis = 1000) {
    this.#minSampleMillis = minSampleMillis;
    this.#histogram = monitorEventLoopDelay({ resolution: 10 });
    this.#histogram.enable();
  }

  sample(nowMs = Date.now()): EventLoopSample {
    if (nowMs - this.#lastAtMs < this.#minSampleMillis) return this.#last;
    const utilization = performance.eventLoopUtilization(this.#utilizationBase);
    this.#utilizationBase = performance.eventLoopUtilization();
    const count = this.#histogram.count;
    this.#last = {
      delayP99Seconds: count > 0 ? this.#histogram.percentile(99) / 1e9 : 0,
      delayMaxSeconds: count > 0 ? this.#histogram.max / 1e9 : 0,
      utilization: Number.isFinite(utilization.utilization) ? utilization.utilization : 0,
    };
    this.#lastAtMs = nowMs;
    this.#histogram.reset();
    return this.#last;
  }

  /** p99 delay in seconds over the current window, without starting a new one (for snapshots). */
  currentDelaySeconds(): number {
    return this.#histogram.count > 0 ? this.#histogram.percentile(99) / 1e9 : this.#last.delayP99Seconds;
  }

  stop(): void {
    this.#histogram.disable();
  }
}
