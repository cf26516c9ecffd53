import type { WorkerQueueStats, WorkerView } from './analyzer-view.js';
import type { JobLogFacts } from './facts.js';
import type { ResolvedModelOptions } from './model-options.js';
import { QueueBuckets } from './queue-buckets.js';

const EMPTY_STATS: Readonly<WorkerQueueStats> = {
  attemptsStarted: 0,
  busySeconds: 0,
  completed: 0,
  failed: 0,
};

export interface WorkerState extends WorkerView {
  queues: Set<string>;
  stats: Map<string, QueueBuckets>;
  reportedActive: Map<string, { value: number; timeMs: number }>;
  dumps: JobLogFacts[];
}

/** Workers by identity, with their per-queue work in time buckets. */
export class WorkerTable {
  readonly byId = new Map<string, WorkerState>();
  private readonly bucketMs: number;
  private readonly bucketCount: number;

  constructor(private readonly options: ResolvedModelOptions) {
    this.bucketMs = options.workerStatsBucketSeconds * 1000;
    this.bucketCount = Math.max(
      1,
      Math.ceil(options.workerStatsWindowSeconds / options.workerStatsBucketSeconds) + 1,
    );
  }

  /**
   * The worker, created on first sight; every record from it counts as a sign of life. Its pid is the
   * latest one a record carried (an instance id reused by a restarted process gets the new pid).
   */
  touch(worker: string, service: string, host: string, timeMs: number, pid?: number): WorkerState {
    let state = this.byId.get(worker);
    if (state === undefined) {
      state = {
        worker,
        service,
        host,
        pid,
        firstSeenMs: timeMs,
        lastSeenMs: timeMs,
        activeJobs: 0,
        queues: new Set(),
        stats: new Map(),
        reportedActive: new Map(),
        dumps: [],
      };
      this.byId.set(worker, state);
    } else {
      if (timeMs > state.lastSeenMs) state.lastSeenMs = timeMs;
      if (timeMs < state.firstSeenMs) state.firstSeenMs = timeMs;
      if (state.host === '' && host !== '') state.host = host;
      if (pid !== undefined) state.pid = pid;
    }
    return state;
  }

  private buckets(state: WorkerState, queue: string): QueueBuckets {
    let buckets = state.stats.get(queue);
    if (buckets === undefined) {
      buckets = new QueueBuckets(this.bucketMs, this.bucketCount);
      state.stats.set(queue, buckets);
      state.queues.add(queue);
    }
    return buckets;
  }

  recordStart(state: WorkerState, queue: string, timeMs: number): void {
    this.buckets(state, queue).addStart(timeMs);
  }

  recordEnd(state: WorkerState, queue: string, endMs: number, busyMs: number, completed: boolean): void {
    this.buckets(state, queue).addEnd(endMs, busyMs, completed);
    this.recordAttemptEnd(state, endMs, completed);
  }

  /**
   * A whole attempt seen at once (its span, with no start seen before): `recordStart` and `recordEnd`
   * with one lookup of the queue's buckets, which also puts the queue among the worker's.
   */
  recordStartAndEnd(
    state: WorkerState,
    queue: string,
    startMs: number,
    endMs: number,
    completed: boolean,
  ): void {
    const buckets = this.buckets(state, queue);
    buckets.addStart(startMs);
    buckets.addEnd(endMs, endMs - startMs, completed);
    this.recordAttemptEnd(state, endMs, completed);
  }

  /** An attempt ended at `endMs` (also from the outcome counter, which carries no duration). */
  recordAttemptEnd(state: WorkerState, endMs: number, completed: boolean): void {
    if (state.lastAttemptEndMs === undefined || endMs > state.lastAttemptEndMs)
      state.lastAttemptEndMs = endMs;
    if (completed && (state.lastCompletionMs === undefined || endMs > state.lastCompletionMs)) {
      state.lastCompletionMs = endMs;
    }
  }

  recordHeartbeat(state: WorkerState, timeMs: number): void {
    const last = state.lastHeartbeatMs;
    if (last === undefined) {
      state.lastHeartbeatMs = timeMs;
      return;
    }
    if (timeMs <= last) return;
    const interval = timeMs - last;
    // Smoothed so one late export does not double the typical interval.
    state.heartbeatIntervalMs =
      state.heartbeatIntervalMs === undefined ? interval : state.heartbeatIntervalMs * 0.7 + interval * 0.3;
    state.lastHeartbeatMs = timeMs;
  }

  recordReportedActive(state: WorkerState, queue: string, value: number, timeMs: number): void {
    const previous = state.reportedActive.get(queue);
    if (previous !== undefined && previous.timeMs > timeMs) return;
    state.reportedActive.set(queue, { value, timeMs });
    if (queue !== '') state.queues.add(queue);
    let sum = 0;
    let newest = 0;
    for (const point of state.reportedActive.values()) {
      sum += point.value;
      newest = Math.max(newest, point.timeMs);
    }
    state.reportedActiveJobs = sum;
    state.reportedActiveTimeMs = newest;
  }

  recordDump(state: WorkerState, dump: JobLogFacts): void {
    state.dumps.push(dump);
    if (state.dumps.length > this.options.maxDumpsPerWorker) state.dumps.shift();
  }

  stats(worker: string, queue: string, sinceMs: number): WorkerQueueStats {
    const buckets = this.byId.get(worker)?.stats.get(queue);
    return buckets === undefined ? { ...EMPTY_STATS } : buckets.sum(sinceMs);
  }

  /** Forgets workers silent for longer than the retention, unless live jobs still point at them. */
  prune(now: number): void {
    const cutoff = now - this.options.workerRetentionSeconds * 1000;
    for (const [id, state] of this.byId) {
      if (state.lastSeenMs < cutoff && state.activeJobs === 0) this.byId.delete(id);
    }
  }
}
