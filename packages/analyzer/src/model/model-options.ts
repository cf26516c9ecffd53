/**
 * Bounds of the model's rolling windows. Every window is bounded both in time and in count, so memory
 * stays bounded whatever the job-id cardinality; the oldest entries go first.
 */
export interface TelemetryModelOptions {
  /** Finished attempts are kept this long after they end. Default 900. */
  finishedAttemptRetentionSeconds?: number;
  /**
   * At most this many finished attempts (with their steps and marks; about 0.8 KB each). At high rates the
   * count, not the time, bounds the window: detectors then see the newest attempts. Default 50000.
   */
  maxFinishedAttempts?: number;
  /**
   * Completed attempts keep their span attributes (for explain) only while among the newest this many,
   * unless they lasted `longAttemptSeconds`; failed ones always keep theirs. Attributes are the largest
   * part of an attempt held, and kept longer than a few young-generation GCs they cost about a tenth of
   * ingest at high rates. Default 1000.
   */
  maxCompletedAttemptsWithAttributes?: number;
  /**
   * Completed attempts lasting at least this long keep their span attributes as failed ones do: only in
   * those can a mystery gap be found. Default 5; the analyzer passes mystery_gap's `gapThresholdSeconds`.
   */
  longAttemptSeconds?: number;
  /**
   * A running attempt whose `still running` record reports at least this much silence keeps that
   * record's attributes, for explain: the silent ones are those asked about, and attributes for every
   * running attempt would cost their memory 100k times over. Default 30; the analyzer passes half
   * silent_job's `silenceThresholdSeconds`, so the finding has them from the moment it opens.
   */
  silentAttemptSeconds?: number;
  /** At most this many live jobs; the one seen first is evicted first. Default 200000. */
  maxLiveJobs?: number;
  /** A live job with no record for this long is dropped (its worker is long gone). Default 3600. */
  liveJobRetentionSeconds?: number;
  /** Jobs (across attempts) are kept this long after their last record. Default 3600. */
  jobRetentionSeconds?: number;
  /** At most this many jobs (about 0.2 KB each). Default 100000. */
  maxJobs?: number;
  /**
   * Child spans whose parent has not arrived wait this long after the newest of them came (a long job
   * exports its steps for minutes before its attempt span). Default 120.
   */
  pendingChildRetentionSeconds?: number;
  /** At most this many waiting child spans. Default 50000. */
  maxPendingChildren?: number;
  /**
   * Keys of ended attempts remembered so late records do not revive them: at most this many, and the
   * newest half of that always (they are forgotten in halves; 8 bytes each). Default 400000.
   */
  maxEndedAttemptKeys?: number;
  /** Steps and marks kept per attempt. Default 500. */
  maxStepsPerAttempt?: number;
  /** Width of a worker-statistics bucket. Default 10. */
  workerStatsBucketSeconds?: number;
  /** Worker statistics cover this much time. Default 900. */
  workerStatsWindowSeconds?: number;
  /** A worker with no record for this long is forgotten. Default 3600. */
  workerRetentionSeconds?: number;
  /**
   * A worker that announced its stop is forgotten this long after its last record: every `joblens run`
   * and every deploy's old workers would otherwise fill the table for the full retention. Default 300.
   */
  stoppedWorkerRetentionSeconds?: number;
  /** At most this many workers; past it, stopped ones go first, then those silent longest. Default 10000. */
  maxWorkers?: number;
  /** Event-loop block reports are kept this long. Default 3600. */
  eventLoopBlockRetentionSeconds?: number;
  /** At most this many event-loop block reports. Default 10000. */
  maxEventLoopBlocks?: number;
  /** At most this many failure snapshots (log records), newest kept. Default 10000. */
  maxSnapshots?: number;
  /** Dumps kept per worker. Default 10. */
  maxDumpsPerWorker?: number;
  /**
   * Estimated bytes of span and event attributes finished attempts keep, in all (each value is already
   * cut at ingest); failure snapshots, and silent running jobs, keep at most a quarter of it more each.
   * Past it the oldest attempts lose their attributes, the oldest snapshots go, and a running job's
   * newest attributes are not kept. Default 64 MiB.
   */
  maxRetainedAttributeBytes?: number;
  /** Queues (service + queue) with gauges kept; past it the first seen go first. Default 10000. */
  maxQueues?: number;
  /** Queues a worker keeps statistics for; past it the first seen go first. Default 1000. */
  maxQueuesPerWorker?: number;
  /** Current time in Unix ms. Default `Date.now`. */
  clock?: () => number;
}

export type ResolvedModelOptions = Required<TelemetryModelOptions>;

const MODEL_DEFAULTS: Readonly<ResolvedModelOptions> = {
  finishedAttemptRetentionSeconds: 900,
  maxFinishedAttempts: 50_000,
  maxCompletedAttemptsWithAttributes: 1_000,
  longAttemptSeconds: 5,
  silentAttemptSeconds: 30,
  maxLiveJobs: 200_000,
  liveJobRetentionSeconds: 3600,
  jobRetentionSeconds: 3600,
  maxJobs: 100_000,
  pendingChildRetentionSeconds: 120,
  maxPendingChildren: 50_000,
  maxEndedAttemptKeys: 400_000,
  maxStepsPerAttempt: 500,
  workerStatsBucketSeconds: 10,
  workerStatsWindowSeconds: 900,
  workerRetentionSeconds: 3600,
  stoppedWorkerRetentionSeconds: 300,
  maxWorkers: 10_000,
  eventLoopBlockRetentionSeconds: 3600,
  maxEventLoopBlocks: 10_000,
  maxSnapshots: 10_000,
  maxDumpsPerWorker: 10,
  maxRetainedAttributeBytes: 64 * 1024 * 1024,
  maxQueues: 10_000,
  maxQueuesPerWorker: 1_000,
  clock: Date.now,
};

/** Applies defaults and rejects bad values, naming the option, the expected and the actual value. */
export function resolveModelOptions(options: TelemetryModelOptions = {}): ResolvedModelOptions {
  const resolved = { ...MODEL_DEFAULTS };
  for (const [name, value] of Object.entries(options)) {
    if (value === undefined) continue;
    if (!(name in MODEL_DEFAULTS)) throw new Error(`model option ${name}: unknown option`);
    if (name === 'clock') {
      if (typeof value !== 'function')
        throw new Error(`model option clock: expected a function, got ${typeof value}`);
    } else if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
      throw new Error(`model option ${name}: expected a positive number, got ${String(value)}`);
    }
    (resolved as Record<string, unknown>)[name] = value;
  }
  return resolved;
}
