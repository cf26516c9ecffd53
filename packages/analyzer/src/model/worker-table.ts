import type { ConsumerView, WorkerQueueStats, WorkerView } from './analyzer-view.js';
import type { JobLogFacts } from './facts.js';
import type { ResolvedModelOptions } from './model-options.js';
import { QueueBuckets } from './queue-buckets.js';
import { evictOldest } from './table/evict-oldest.js';
import { MapTable } from './table/map-table.js';
import type { Table } from './table/table.js';

/**
 * Records stamped up to this long after a worker's stop record belong to its shutdown (the final flush
 * exports a last heartbeat and the spans still buffered); a later one means the instance runs again.
 */
const STOP_FLUSH_GRACE_MS = 30_000;

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
  consumers?: Map<string, ConsumerView>;
}

/** State and connection combinations kept per queue: the SDK reports at most a handful. */
const MAX_CONSUMER_STATES = 16;

/** Workers by identity, with their per-queue work in time buckets. */
export class WorkerTable {
  /**
   * Unbounded here: `prune` bounds it, in its own order (stopped workers first), and spares workers
   * that live jobs still point at, which an eviction on insert could not.
   */
  private readonly byId: Table<WorkerState> = new MapTable<WorkerState>();
  private readonly bucketMs: number;
  private readonly bucketCount: number;

  constructor(private readonly options: ResolvedModelOptions) {
    this.bucketMs = options.workerStatsBucketSeconds * 1000;
    this.bucketCount = Math.max(
      1,
      Math.ceil(options.workerStatsWindowSeconds / options.workerStatsBucketSeconds) + 1,
    );
  }

  get size(): number {
    return this.byId.size;
  }

  get(worker: string): WorkerState | undefined {
    return this.byId.get(worker);
  }

  /** Held workers, first seen first. */
  values(): IterableIterator<WorkerState> {
    return this.byId.values();
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
      if (state.stoppedMs !== undefined && timeMs > state.stoppedMs + STOP_FLUSH_GRACE_MS)
        state.stoppedMs = undefined;
    }
    return state;
  }

  private buckets(state: WorkerState, queue: string): QueueBuckets {
    let buckets = state.stats.get(queue);
    if (buckets === undefined) {
      buckets = new QueueBuckets(this.bucketMs, this.bucketCount);
      state.stats.set(queue, buckets);
      state.queues.add(queue);
      // Queue names come from senders: a worker naming a new queue per job must not grow without bound.
      evictOldest(state.stats, this.options.maxQueuesPerWorker, (old) => state.queues.delete(old));
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

  private consumer(state: WorkerState, queue: string): ConsumerView {
    state.consumers ??= new Map();
    let consumer = state.consumers.get(queue);
    if (consumer === undefined) {
      consumer = { timeMs: Number.NEGATIVE_INFINITY, states: [] };
      state.consumers.set(queue, consumer);
      evictOldest(state.consumers, this.options.maxQueuesPerWorker);
    }
    return consumer;
  }

  /**
   * One `joblens.consumers` point. The points of one export share a time: a newer time starts the
   * list afresh, so states the consumers left (reported as 0, or no longer at all) drop out.
   */
  recordConsumers(
    state: WorkerState,
    queue: string,
    consumerState: string,
    connection: string,
    consumers: number,
    timeMs: number,
  ): void {
    const consumer = this.consumer(state, queue);
    if (timeMs < consumer.timeMs) return;
    if (timeMs > consumer.timeMs) {
      consumer.timeMs = timeMs;
      consumer.states = [];
    }
    if (consumers > 0 && consumer.states.length < MAX_CONSUMER_STATES)
      consumer.states.push({ state: consumerState, connection, consumers });
  }

  recordLastFetch(state: WorkerState, queue: string, fetchedMs: number): void {
    const consumer = this.consumer(state, queue);
    if (consumer.lastFetchMs === undefined || fetchedMs > consumer.lastFetchMs)
      consumer.lastFetchMs = fetchedMs;
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

  /** The worker announced a deliberate stop at `timeMs`. */
  recordStop(state: WorkerState, timeMs: number): void {
    if (state.lastSeenMs > timeMs + STOP_FLUSH_GRACE_MS) return; // it ran again after this (late) record
    state.stoppedMs = Math.max(state.stoppedMs ?? timeMs, timeMs);
  }

  recordDump(state: WorkerState, dump: JobLogFacts): void {
    state.dumps.push(dump);
    if (state.dumps.length > this.options.maxDumpsPerWorker) state.dumps.shift();
  }

  stats(worker: string, queue: string, sinceMs: number): WorkerQueueStats {
    const buckets = this.byId.get(worker)?.stats.get(queue);
    return buckets === undefined ? { ...EMPTY_STATS } : buckets.sum(sinceMs);
  }

  /**
   * Forgets workers silent for longer than the retention (stopped ones sooner), unless live jobs still
   * point at them; then, past `maxWorkers`, stopped workers first and the longest silent next.
   */
  prune(now: number): void {
    const cutoff = now - this.options.workerRetentionSeconds * 1000;
    const stoppedCutoff = now - this.options.stoppedWorkerRetentionSeconds * 1000;
    this.byId.forEach((state, id) => {
      if (state.activeJobs > 0) return;
      const stoppedLongAgo = state.stoppedMs !== undefined && state.lastSeenMs < stoppedCutoff;
      if (state.lastSeenMs < cutoff || stoppedLongAgo) this.byId.delete(id);
    });
    const excess = this.byId.size - this.options.maxWorkers;
    if (excess <= 0) return;
    const byEvictionOrder = [...this.byId.values()].sort(
      (a, b) =>
        Number(b.stoppedMs !== undefined) - Number(a.stoppedMs !== undefined) || a.lastSeenMs - b.lastSeenMs,
    );
    for (const state of byEvictionOrder.slice(0, excess)) this.byId.delete(state.worker);
  }
}
