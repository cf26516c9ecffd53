import {
  ATTR_ERROR_TYPE,
  ATTR_JOB_NAME,
  ATTR_JOB_OUTCOME,
  ATTR_MESSAGING_DESTINATION_NAME,
  ATTR_MESSAGING_SYSTEM,
  ATTR_QUEUE_STATE,
  INSTRUMENTATION_SCOPE,
  type JobOutcome,
  METRIC_ACTIVE_JOBS,
  METRIC_CONSUMED_MESSAGES,
  METRIC_EVENT_LOOP_DELAY_MAX,
  METRIC_EVENT_LOOP_DELAY_P99,
  METRIC_EVENT_LOOP_UTILIZATION,
  METRIC_JOB_OUTCOMES,
  METRIC_LAST_SUCCESS_TIME,
  METRIC_MAX_SILENCE,
  METRIC_OLDEST_ACTIVE_AGE,
  METRIC_PROCESS_DURATION,
  METRIC_QUEUE_DEPTH,
  METRIC_QUEUE_OLDEST_READY_AGE,
  METRIC_WORKER_HEARTBEATS,
  QUEUE_STATES,
} from '@joblens/semconv';
import type { Histogram, Meter } from '@opentelemetry/api';
import type { IMetricReader } from '@opentelemetry/sdk-metrics';
import type { ActiveAttempts } from '../active-attempts.js';
import type { NormalizedDescriptor } from '../attempt/normalize-descriptor.js';
import { SDK_VERSION } from '../version.js';
import { DurationHistogram, recordDuration } from './duration-histogram.js';
import type { EventLoopSampler } from './event-loop-sampler.js';
import { type JobSeries, JobSeriesTable } from './job-series-table.js';
import type { QueueWatch } from './queue-watch.js';

/** Jobs run from milliseconds to hours; the semconv default buckets stop at 10 s. */
const DURATION_BUCKETS_SECONDS = [
  0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800, 3600,
];

export type WorkerMetrics = {
  /** Counts the attempt as consumed; hand the series back to {@link WorkerMetrics.attemptEnded}. */
  attemptStarted(descriptor: NormalizedDescriptor): JobSeries | undefined;
  attemptEnded(
    series: JobSeries | undefined,
    outcome: JobOutcome,
    durationSeconds: number,
    errorType: string | undefined,
    endedAtMs: number,
  ): void;
};

/**
 * The worker's heartbeat and job metrics. Every attribute is low-cardinality: queue, job name,
 * outcome, error type, queue state; never a job id.
 */
export function createWorkerMetrics(options: {
  meter: Meter;
  activeAttempts: ActiveAttempts;
  queueWatch: QueueWatch;
  eventLoop: EventLoopSampler;
  heartbeatIntervalMillis: number;
  /** Every reader of `meter`: the duration histogram attaches to them. */
  metricReaders: readonly IMetricReader[];
  onError: (error: unknown) => void;
}): WorkerMetrics {
  const { meter, activeAttempts, queueWatch, eventLoop } = options;
  const startedAtMs = Date.now();
  const series = new JobSeriesTable();

  // Our own accumulation when every reader takes it (see DurationHistogram); else the SDK's sync
  // histogram, with one attributes object per series.
  const durations = new DurationHistogram({
    name: METRIC_PROCESS_DURATION,
    unit: 's',
    description: 'Duration of job attempts.',
    boundaries: DURATION_BUCKETS_SECONDS,
    scope: { name: INSTRUMENTATION_SCOPE, version: SDK_VERSION },
  });
  const ownDurations = durations.attachTo(options.metricReaders);
  const duration: Histogram | undefined = ownDurations
    ? undefined
    : meter.createHistogram(METRIC_PROCESS_DURATION, {
        unit: 's',
        description: 'Duration of job attempts.',
        advice: { explicitBucketBoundaries: DURATION_BUCKETS_SECONDS },
      });
  // Observable rather than sync counters: a sync counter hashes its attributes on every add, while
  // these only read our per-series sums when a reader collects. Cumulative and monotonic either way.
  meter
    .createObservableCounter(METRIC_CONSUMED_MESSAGES, {
      unit: '{message}',
      description: 'Jobs taken for processing.',
    })
    .addCallback((result) => {
      for (const [attributes, count] of series.consumedByQueue()) result.observe(count, attributes);
    });
  meter
    .createObservableCounter(METRIC_JOB_OUTCOMES, {
      unit: '{job}',
      description: 'Attempts ended, by outcome.',
    })
    .addCallback((result) => {
      for (const s of series.all()) {
        const observe = (outcome: JobOutcome, count: number) =>
          result.observe(count, {
            [ATTR_MESSAGING_DESTINATION_NAME]: s.queue,
            [ATTR_JOB_NAME]: s.jobName,
            [ATTR_JOB_OUTCOME]: outcome,
          });
        if (s.completed > 0) observe('completed', s.completed);
        for (const [outcome, count] of s.outcomes) observe(outcome, count);
      }
    });

  // Derived from the clock rather than counted per collection, so a Prometheus scrape and the OTLP
  // export each see +1 per interval instead of inflating each other. Rounded, because periodic
  // exports fire a little after each whole interval and must still count one each.
  meter
    .createObservableCounter(METRIC_WORKER_HEARTBEATS, {
      unit: '{heartbeat}',
      description: 'One per heartbeat interval while the worker lives.',
    })
    .addCallback((result) =>
      result.observe(Math.round((Date.now() - startedAtMs) / options.heartbeatIntervalMillis) + 1),
    );
  meter
    .createObservableGauge(METRIC_LAST_SUCCESS_TIME, {
      unit: 's',
      description: 'Unix time of the last completed job, per queue.',
    })
    .addCallback((result) => {
      for (const [queue, atMs] of series.lastSuccessByQueue())
        result.observe(atMs / 1000, { [ATTR_MESSAGING_DESTINATION_NAME]: queue });
    });
  meter
    .createObservableGauge(METRIC_ACTIVE_JOBS, { unit: '{job}', description: 'Attempts running now.' })
    .addCallback((result) => {
      const byQueue = new Map<string, number>();
      for (const attempt of activeAttempts.list())
        byQueue.set(attempt.descriptor.queue, (byQueue.get(attempt.descriptor.queue) ?? 0) + 1);
      // Queues seen before report 0 rather than vanishing, so "nothing running" is visible.
      for (const s of series.all()) if (!byQueue.has(s.queue)) byQueue.set(s.queue, 0);
      for (const [queue, count] of byQueue)
        result.observe(count, { [ATTR_MESSAGING_DESTINATION_NAME]: queue });
    });
  meter
    .createObservableGauge(METRIC_OLDEST_ACTIVE_AGE, {
      unit: 's',
      description: 'Age of the oldest running attempt.',
    })
    .addCallback((result) => result.observe(activeAttempts.oldestAgeSeconds(Date.now())));
  meter
    .createObservableGauge(METRIC_MAX_SILENCE, {
      unit: 's',
      description: 'Silence of the most silent running attempt.',
    })
    .addCallback((result) => result.observe(activeAttempts.mostSilent(Date.now())?.silenceSeconds ?? 0));

  const depth = meter.createObservableGauge(METRIC_QUEUE_DEPTH, {
    unit: '{job}',
    description: 'Jobs in the queue by state.',
  });
  const oldestReady = meter.createObservableGauge(METRIC_QUEUE_OLDEST_READY_AGE, {
    unit: 's',
    description: 'Age of the oldest ready job.',
  });
  meter.addBatchObservableCallback(
    async (result) => {
      for (const { source, stats } of await queueWatch.sampleAll()) {
        const base = {
          [ATTR_MESSAGING_DESTINATION_NAME]: source.queue,
          [ATTR_MESSAGING_SYSTEM]: source.system,
        };
        for (const state of QUEUE_STATES) {
          const count = stats.counts[state];
          if (typeof count === 'number' && Number.isFinite(count))
            result.observe(depth, count, { ...base, [ATTR_QUEUE_STATE]: state });
        }
        if (Number.isFinite(stats.oldestReadyAgeSeconds))
          result.observe(oldestReady, Math.max(0, stats.oldestReadyAgeSeconds), base);
      }
    },
    [depth, oldestReady],
  );

  const delayP99 = meter.createObservableGauge(METRIC_EVENT_LOOP_DELAY_P99, {
    unit: 's',
    description: 'Event-loop delay, 99th percentile.',
  });
  const delayMax = meter.createObservableGauge(METRIC_EVENT_LOOP_DELAY_MAX, {
    unit: 's',
    description: 'Event-loop delay, maximum.',
  });
  const utilization = meter.createObservableGauge(METRIC_EVENT_LOOP_UTILIZATION, {
    unit: '1',
    description: 'Event-loop utilization.',
  });
  meter.addBatchObservableCallback(
    (result) => {
      const sample = eventLoop.sample();
      result.observe(delayP99, sample.delayP99Seconds);
      result.observe(delayMax, sample.delayMaxSeconds);
      result.observe(utilization, sample.utilization);
    },
    [delayP99, delayMax, utilization],
  );

  return {
    attemptStarted: (d) => {
      try {
        const found = series.of(d.system, d.queue, d.jobName);
        found.consumed++;
        return found;
      } catch (error) {
        options.onError(new Error('recording start metrics', { cause: error }));
        return undefined;
      }
    },
    attemptEnded: (s, outcome, durationSeconds, errorType, endedAtMs) => {
      if (!s) return;
      try {
        if (outcome === 'completed') s.completed++;
        else s.outcomes.set(outcome, (s.outcomes.get(outcome) ?? 0) + 1);
        const attributes =
          errorType === undefined
            ? s.durationAttributes
            : { ...s.durationAttributes, [ATTR_ERROR_TYPE]: errorType };
        if (duration) {
          duration.record(durationSeconds, attributes);
        } else if (errorType === undefined) {
          s.duration ??= durations.accumulation(attributes);
          recordDuration(s.duration, durations.boundaries, durationSeconds);
        } else {
          s.failureDurations ??= new Map();
          let failures = s.failureDurations.get(errorType);
          if (!failures) {
            failures = durations.accumulation(attributes);
            // Error types come from user code: remember a bounded number, as the histogram does.
            if (s.failureDurations.size < 100) s.failureDurations.set(errorType, failures);
          }
          recordDuration(failures, durations.boundaries, durationSeconds);
        }
        if (outcome === 'completed') s.lastSuccessMs = endedAtMs;
      } catch (error) {
        options.onError(new Error('recording end metrics', { cause: error }));
      }
    },
  };
}
