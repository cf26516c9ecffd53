import {
  ATTR_JOB_NAME,
  ATTR_MESSAGING_DESTINATION_NAME,
  ATTR_MESSAGING_OPERATION_NAME,
  ATTR_MESSAGING_SYSTEM,
  type JobOutcome,
  MESSAGING_OPERATION_PROCESS,
} from '@joblens/semconv';
import type { Attributes } from '@opentelemetry/api';
import type { DurationAccumulation } from './duration-histogram.js';

/**
 * One (messaging system, queue, job name): what its jobs have counted so far. An attempt holds its
 * series from start to end, so a job costs one lookup; the cumulative counters are plain additions
 * that a collection reads, instead of a sync instrument hashing its attributes on every add.
 */
export type JobSeries = {
  readonly system: string;
  readonly queue: string;
  readonly jobName: string;
  consumed: number;
  /** Completed attempts: counted apart, as nearly every attempt ends so. */
  completed: number;
  /** Ended attempts by outcome, other than completed. */
  readonly outcomes: Map<JobOutcome, number>;
  /** Unix ms of the last completed attempt; 0 when none. */
  lastSuccessMs: number;
  /** Attributes of a successful attempt's duration, built once. */
  readonly durationAttributes: Attributes;
  /** Durations of successful attempts, when the SDK accumulates them itself. */
  duration?: DurationAccumulation;
  /** Durations of failed attempts by `error.type`, likewise. */
  failureDurations?: Map<string, DurationAccumulation>;
};

/** OpenTelemetry's own default cardinality limit per instrument. */
const MAX_SERIES = 2000;
/** Where series beyond the limit are counted, as OpenTelemetry names its overflow series. */
const OVERFLOW = 'otel.metric.overflow';

function newSeries(system: string, queue: string, jobName: string): JobSeries {
  return {
    system,
    queue,
    jobName,
    consumed: 0,
    completed: 0,
    outcomes: new Map(),
    lastSuccessMs: 0,
    durationAttributes: {
      [ATTR_MESSAGING_SYSTEM]: system,
      [ATTR_MESSAGING_DESTINATION_NAME]: queue,
      [ATTR_MESSAGING_OPERATION_NAME]: MESSAGING_OPERATION_PROCESS,
      [ATTR_JOB_NAME]: jobName,
    },
  };
}

/**
 * The job series of one SDK instance, looked up by nested maps of the strings the job already
 * has (no key string is built per job). Bounded: past {@link MAX_SERIES} every new combination
 * shares one overflow series, so job names with ids in them cannot grow memory without limit.
 */
export class JobSeriesTable {
  readonly #bySystem = new Map<string, Map<string, Map<string, JobSeries>>>();
  readonly #all: JobSeries[] = [];
  #overflow: JobSeries | undefined;

  of(system: string, queue: string, jobName: string): JobSeries {
    let byQueue = this.#bySystem.get(system);
    let byName = byQueue?.get(queue);
    const found = byName?.get(jobName);
    if (found) return found;
    if (this.#all.length >= MAX_SERIES) {
      this.#overflow ??= newSeries(OVERFLOW, OVERFLOW, OVERFLOW);
      return this.#overflow;
    }
    if (!byQueue) {
      byQueue = new Map();
      this.#bySystem.set(system, byQueue);
    }
    if (!byName) {
      byName = new Map();
      byQueue.set(queue, byName);
    }
    const created = newSeries(system, queue, jobName);
    byName.set(jobName, created);
    this.#all.push(created);
    return created;
  }

  /** Every series, the overflow one last. */
  all(): readonly JobSeries[] {
    return this.#overflow ? [...this.#all, this.#overflow] : this.#all;
  }

  /** Consumed counts summed over job names, with the attributes of `messaging.client.consumed.messages`. */
  consumedByQueue(): Map<Attributes, number> {
    const sums = new Map<string, { attributes: Attributes; count: number }>();
    for (const s of this.all()) {
      const key = `${s.system}\n${s.queue}`;
      const sum = sums.get(key);
      if (sum) sum.count += s.consumed;
      else
        sums.set(key, {
          attributes: {
            [ATTR_MESSAGING_SYSTEM]: s.system,
            [ATTR_MESSAGING_DESTINATION_NAME]: s.queue,
            [ATTR_MESSAGING_OPERATION_NAME]: MESSAGING_OPERATION_PROCESS,
          },
          count: s.consumed,
        });
    }
    return new Map([...sums.values()].map((sum) => [sum.attributes, sum.count]));
  }

  /** Unix ms of the last completed attempt per queue, for queues with one. */
  lastSuccessByQueue(): Map<string, number> {
    const last = new Map<string, number>();
    for (const s of this.all()) {
      if (s.lastSuccessMs > 0 && s.lastSuccessMs > (last.get(s.queue) ?? 0))
        last.set(s.queue, s.lastSuccessMs);
    }
    return last;
  }
}
