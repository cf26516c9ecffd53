import type { LogRecordData, MetricPointRecord, SpanRecord } from '@joblens/otlp-receiver';
import {
  ATTR_EXCEPTION_MESSAGE,
  ATTR_EXCEPTION_TYPE,
  ATTR_STEP_NAME,
  EVENT_EXCEPTION,
} from '@joblens/semconv';
import type {
  AnalyzerView,
  AttemptContext,
  AttemptView,
  EventLoopBlockView,
  GapView,
  JobNameOutcomes,
  JobRef,
  JobTimeline,
  JobView,
  LiveJobView,
  QueueView,
  WindowSizes,
  WorkerQueueStats,
  WorkerSummary,
  WorkerView,
} from './analyzer-view.js';
import { buildAttemptContext } from './attempt-context.js';
import { ingestEnded, ingestRunning, type LifecycleTables } from './attempt-lifecycle.js';
import { AttemptStore } from './attempt-store.js';
import { attributeBytes } from './attribute-bytes.js';
import { readString } from './attribute-readers.js';
import { ChildExceptionTypes } from './child-exception-types.js';
import { EndedKeys } from './ended-keys.js';
import { EventLoopBlockLog } from './event-loop-block-log.js';
import type { AttemptFacts } from './facts.js';
import { ingestMetricPoint } from './ingest-metric-point.js';
import { JobTable } from './job-table.js';
import { buildJobTimeline } from './job-timeline.js';
import { LiveJobTable } from './live-job-table.js';
import type { ModelListener } from './model-listener.js';
import {
  type ResolvedModelOptions,
  resolveModelOptions,
  type TelemetryModelOptions,
} from './model-options.js';
import { readAttempt, readJobLog } from './normalize.js';
import { OutcomeCounters } from './outcome-counters.js';
import { QueueTable } from './queue-table.js';
import { SnapshotTable } from './snapshot-table.js';
import { StringPool } from './string-pool.js';
import { processPid, workerIdentity } from './worker-identity.js';
import { buildWorkerSummaries } from './worker-summaries.js';
import { WorkerTable } from './worker-table.js';

/** Pruning walks maps; doing it once a second keeps ingest cost per record flat. */
const PRUNE_INTERVAL_MS = 1000;
/** Distinct step, queue and job names shared; names beyond are rare enough to keep as they come. */
const STRING_POOL_SIZE = 20_000;
/** Outcome-counter series (worker × queue × job name × outcome) followed; more are ignored. */
const MAX_OUTCOME_SERIES = 50_000;
/** Parents whose children recorded an exception before the parent arrived; the oldest are forgotten. */
const MAX_CHILD_EXCEPTIONS = 10_000;
/** What an attempt that failed with no error type is counted under (OpenTelemetry's `error.type` fallback). */
const UNKNOWN_ERROR_TYPE = '_OTHER';

/**
 * Rebuilds jobs, attempts, live jobs, workers and queues from decoded telemetry, in bounded rolling
 * windows, and answers what detectors and the API ask. Tolerates duplicates (keyed by trace + span id),
 * children before parents and logs after spans. Never throws on bad input: a record it cannot read is
 * skipped and counted.
 */
export class TelemetryModel implements AnalyzerView {
  readonly options: ResolvedModelOptions;
  private readonly attempts: AttemptStore;
  private readonly live: LiveJobTable;
  private readonly jobTable: JobTable;
  private readonly workerTable: WorkerTable;
  private readonly queueTable: QueueTable;
  /** Attempts whose end was seen (span or ended log), so late records of them change nothing. */
  private readonly endedKeys: EndedKeys;
  private readonly blockLog: EventLoopBlockLog;
  private readonly outcomes: OutcomeCounters;
  private readonly snapshots: SnapshotTable;
  private readonly strings = new StringPool(STRING_POOL_SIZE);
  private readonly childExceptions = new ChildExceptionTypes(MAX_CHILD_EXCEPTIONS);
  private readonly lifecycle: LifecycleTables;
  private lastPruneMs = Number.NEGATIVE_INFINITY;
  /** Estimated bytes of the attributes live jobs keep (silent ones, for explain): at most a quarter of the budget. */
  private liveAttributeBytes = 0;
  /** The last parent a child named, and its key (see `ingestChild`). */
  private lastParentTraceId = '';
  private lastParentSpanId = '';
  private lastParentKey = '';
  /** Records skipped because reading them threw. */
  skippedRecords = 0;
  /** The stages that take the records the model read (monitors, the job history). */
  private listeners: ModelListener[] = [];

  constructor(options: TelemetryModelOptions = {}) {
    this.options = resolveModelOptions(options);
    const o = this.options;
    this.attempts = new AttemptStore(
      o.maxFinishedAttempts,
      o.maxPendingChildren,
      o.maxStepsPerAttempt,
      o.maxCompletedAttemptsWithAttributes,
      o.longAttemptSeconds * 1000,
      o.maxRetainedAttributeBytes,
    );
    this.workerTable = new WorkerTable(o);
    this.queueTable = new QueueTable(o.maxQueues);
    // Snapshots get a budget of a quarter of the attempts' on top of it: they are fewer and explain needs them less.
    this.snapshots = new SnapshotTable(o.maxSnapshots, o.maxRetainedAttributeBytes / 4);
    this.jobTable = new JobTable(o.maxJobs);
    this.endedKeys = new EndedKeys(o.maxEndedAttemptKeys);
    this.blockLog = new EventLoopBlockLog(o.maxEventLoopBlocks);
    this.outcomes = new OutcomeCounters(
      o.workerStatsBucketSeconds * 1000,
      Math.ceil(o.workerStatsWindowSeconds / o.workerStatsBucketSeconds) + 1,
      MAX_OUTCOME_SERIES,
    );
    this.live = new LiveJobTable(o.maxLiveJobs, (job) => {
      if (job.attributes !== undefined) this.liveAttributeBytes -= attributeBytes(job.attributes);
      const worker = this.workerTable.get(job.worker);
      if (worker !== undefined && worker.activeJobs > 0) worker.activeJobs -= 1;
    });
    this.lifecycle = {
      live: this.live,
      workers: this.workerTable,
      jobs: this.jobTable,
      attempts: this.attempts,
      ended: this.endedKeys,
      markEnded: (key) => {
        this.endedKeys.add(key);
      },
      intern: (value) => this.strings.intern(value),
      silentAttemptMs: o.silentAttemptSeconds * 1000,
      keepLiveAttributes: (previous, next) => {
        if (previous !== undefined) this.liveAttributeBytes -= attributeBytes(previous);
        const bytes = attributeBytes(next);
        if (this.liveAttributeBytes + bytes > o.maxRetainedAttributeBytes / 4) return undefined;
        this.liveAttributeBytes += bytes;
        return next;
      },
    };
  }

  /** Adds a listener; the function returned removes it. */
  listen(listener: ModelListener): () => void {
    this.listeners = [...this.listeners, listener];
    return () => {
      this.listeners = this.listeners.filter((other) => other !== listener);
    };
  }

  // ---- Ingest -------------------------------------------------------------------------------------

  ingestSpans(spans: readonly SpanRecord[]): void {
    // One reading for the whole export: its spans all arrived together.
    const receivedMs = this.options.clock();
    for (const span of spans) {
      try {
        const facts = readAttempt(span);
        if (facts === undefined) {
          this.ingestChild(span, receivedMs);
          continue;
        }
        this.ingestAttempt(facts, span, receivedMs);
        for (const listener of this.listeners) listener.attemptSpan?.(facts);
      } catch {
        this.skippedRecords += 1;
      }
    }
    this.maybePrune();
  }

  ingestLogs(logs: readonly LogRecordData[]): void {
    for (const log of logs) {
      try {
        this.ingestLog(log);
      } catch {
        this.skippedRecords += 1;
      }
    }
    this.maybePrune();
  }

  ingestMetrics(points: readonly MetricPointRecord[]): void {
    for (const point of points) {
      try {
        ingestMetricPoint(point, this.workerTable, this.queueTable, this.outcomes);
      } catch {
        this.skippedRecords += 1;
      }
    }
    this.maybePrune();
  }

  private ingestAttempt(facts: AttemptFacts, span: SpanRecord, receivedMs: number): void {
    const key = this.attemptKey(facts.traceId, facts.spanId);
    // The decoder's ids are chains of short strings (~130 bytes a trace id) that 50k held attempts
    // would keep; slices of the key, which the first lookup makes flat anyway, cost 20 bytes each.
    const traceLength = facts.traceId.length;
    facts.traceId = key.slice(0, traceLength);
    facts.spanId = key.slice(traceLength);
    facts.queue = this.strings.intern(facts.queue);
    facts.jobName = this.strings.intern(facts.jobName);
    const record = this.attempts.addAttempt(key, facts, span.events, receivedMs);
    if (record === undefined) return;
    if (facts.attemptFromDeliveries)
      facts.attempt = Math.max(
        facts.attempt,
        this.jobTable.attemptsSeenOf(facts.service, facts.queue, facts.jobId) + 1,
      );
    if (this.childExceptions.size > 0) {
      const exception = this.childExceptions.take(key);
      if (exception !== undefined) adoptChildException(facts, exception);
    }
    const pid = processPid(span.resource);
    const worker = this.workerTable.touch(facts.worker, facts.service, facts.host, facts.endMs, pid);
    // Marked ended first: one probe both marks the key and tells whether an ended log record had marked it.
    const alreadyEnded = !this.endedKeys.add(key);
    const live = alreadyEnded || this.live.size === 0 ? undefined : this.live.remove(key);
    if (alreadyEnded) {
      worker.queues.add(facts.queue);
    } else {
      const completed = facts.outcome === 'completed';
      if (live === undefined)
        this.workerTable.recordStartAndEnd(worker, facts.queue, facts.startMs, facts.endMs, completed);
      else
        this.workerTable.recordEnd(worker, facts.queue, facts.endMs, facts.endMs - facts.startMs, completed);
    }
    this.jobTable.record({
      service: facts.service,
      queue: facts.queue,
      jobName: facts.jobName,
      jobId: facts.jobId,
      attempt: facts.attempt,
      maxAttempts: facts.maxAttempts,
      traceId: facts.traceId,
      spanId: facts.spanId,
      timeMs: facts.endMs,
      outcome: facts.outcome,
      errorType: facts.errorType,
      attemptKey: key,
      newAttempt: !alreadyEnded && (live === undefined || live.attempt <= 1),
    });
    for (const listener of this.listeners) listener.finishedAttempt?.(record);
  }

  /**
   * trace + span id, shared with the attempt's children arriving just before or after it: one string,
   * built and hashed once, instead of one per span.
   */
  private attemptKey(traceId: string, spanId: string): string {
    if (spanId === this.lastParentSpanId && traceId === this.lastParentTraceId) return this.lastParentKey;
    const key = traceId + spanId;
    this.lastParentKey = key;
    this.lastParentTraceId = traceId;
    this.lastParentSpanId = spanId;
    return key;
  }

  private ingestChild(span: SpanRecord, receivedMs: number): void {
    const resource = span.resource;
    const identity = workerIdentity(resource);
    const pid = processPid(resource);
    this.workerTable.touch(identity, resource.serviceName, resource.hostName, span.endMs, pid);
    if (span.parentSpanId === '') return;
    const step = {
      spanId: span.spanId,
      name: this.strings.intern(readString(span.attributes, ATTR_STEP_NAME) ?? span.name),
      startMs: span.startMs,
      endMs: Math.max(span.startMs, span.endMs),
      statusCode: span.statusCode,
    };
    const parentKey = this.attemptKey(span.traceId, span.parentSpanId);
    if (span.events.length > 0) this.noteChildException(span, parentKey);
    if (this.live.size > 0) {
      const live = this.live.get(parentKey);
      if (live !== undefined && step.endMs > live.quietSinceMs) live.quietSinceMs = step.endMs;
    }
    this.attempts.addChild(parentKey, step, receivedMs);
  }

  /**
   * A child's exception names the error of a parent attempt that failed without one (amqplib's consumer
   * span records none): given to the parent now if it is held, else kept until it arrives.
   */
  private noteChildException(span: SpanRecord, parentKey: string): void {
    let errorType: string | undefined;
    let errorMessage: string | undefined;
    for (const event of span.events) {
      if (event.name !== EVENT_EXCEPTION) continue;
      errorType = readString(event.attributes, ATTR_EXCEPTION_TYPE);
      errorMessage = readString(event.attributes, ATTR_EXCEPTION_MESSAGE);
      if (errorType !== undefined) break;
    }
    if (errorType === undefined) return;
    const parent = this.attempts.get(parentKey);
    if (parent === undefined) this.childExceptions.note(parentKey, { errorType, errorMessage });
    else adoptChildException(parent.facts, { errorType, errorMessage });
  }

  private ingestLog(log: LogRecordData): void {
    const facts = readJobLog(log);
    if (facts !== undefined) for (const listener of this.listeners) listener.jobLog?.(facts);
    if (facts === undefined) {
      const resource = log.resource;
      const identity = workerIdentity(resource);
      const pid = processPid(resource);
      this.workerTable.touch(identity, resource.serviceName, resource.hostName, log.timeMs, pid);
      return;
    }
    const pid = processPid(log.resource);
    const worker = this.workerTable.touch(facts.worker, facts.service, facts.host, facts.timeMs, pid);
    switch (facts.kind) {
      case 'started':
      case 'still_running':
        ingestRunning(this.lifecycle, facts);
        return;
      case 'ended':
        ingestEnded(this.lifecycle, facts);
        return;
      case 'failure_snapshot':
        if (facts.traceId === '') return;
        this.snapshots.set(facts.traceId + facts.spanId, facts);
        return;
      case 'worker_dump':
        this.workerTable.recordDump(worker, facts);
        return;
      case 'event_loop_blocked':
        this.blockLog.add(facts);
        return;
      case 'event_loop_recovered':
        this.blockLog.addRecovery(facts);
        return;
      case 'worker_stopped':
        this.workerTable.recordStop(worker, facts.timeMs);
        // Jobs it still held were abandoned with the process; the broker hands them out again as new
        // attempts. Kept, they would turn into silent jobs of a worker that no longer exists.
        if (worker.stoppedMs !== undefined && worker.activeJobs > 0) this.live.removeWorker(facts.worker);
        return;
      default:
        return;
    }
  }

  private maybePrune(): void {
    const now = this.options.clock();
    if (now - this.lastPruneMs < PRUNE_INTERVAL_MS) return;
    this.lastPruneMs = now;
    this.prune(now);
  }

  /** Drops what fell out of the time windows (count bounds are enforced on insert). */
  prune(now: number = this.options.clock()): void {
    const o = this.options;
    this.attempts.prune(
      now - o.finishedAttemptRetentionSeconds * 1000,
      now - o.pendingChildRetentionSeconds * 1000,
    );
    this.live.prune(now - o.liveJobRetentionSeconds * 1000);
    this.jobTable.prune(now - o.jobRetentionSeconds * 1000);
    this.workerTable.prune(now);
    this.queueTable.prune(now - o.workerRetentionSeconds * 1000);
    this.blockLog.prune(now - o.eventLoopBlockRetentionSeconds * 1000);
  }

  /**
   * Drops the span and event attributes of every held attempt: what the heap guard asks for when the
   * heap is over its limit, as attributes are most of what the model holds that it can do without.
   */
  shedRetainedAttributes(): void {
    this.attempts.dropAllAttributes();
    for (const job of this.live.values()) job.attributes = undefined;
    this.liveAttributeBytes = 0;
  }

  /** Estimated bytes of attributes held attempts and snapshots keep (bounded by `maxRetainedAttributeBytes`). */
  get retainedAttributeBytes(): number {
    return this.attempts.retainedAttributeBytes + this.snapshots.bytes + this.liveAttributeBytes;
  }

  // ---- AnalyzerView -------------------------------------------------------------------------------

  finishedAttempts(sinceMs: number): Iterable<AttemptView> {
    return this.attempts.inArrivalOrder(sinceMs);
  }

  /** Finished attempts that arrived since the last call (each once), for per-attempt metrics. */
  takeNewAttempts(): AttemptView[] {
    return this.attempts.takeNew();
  }

  attemptLongestGapSeconds(attempt: AttemptView): number {
    return this.attempts.longestGapSeconds(attempt);
  }

  attemptGaps(attempt: AttemptView): readonly GapView[] {
    return this.attempts.gaps(attempt);
  }

  /** The attempt's longest gap, undefined when none; unlike `attemptGaps`, builds no gap list. */
  attemptLongestGap(attempt: AttemptView): { seconds: number; location: string } | undefined {
    return this.attempts.longestGap(attempt);
  }

  liveJobs(): Iterable<LiveJobView> {
    return this.live.values();
  }

  jobs(sinceMs: number): Iterable<JobView> {
    return this.jobTable.seenSince(sinceMs);
  }

  workerStates(): Iterable<WorkerView> {
    return this.workerTable.values();
  }

  workerQueueStats(worker: string, queue: string, sinceMs: number): WorkerQueueStats {
    return this.workerTable.stats(worker, queue, sinceMs);
  }

  queueStates(): Iterable<QueueView> {
    return this.queueTable.values();
  }

  *eventLoopBlocks(sinceMs: number): Iterable<EventLoopBlockView> {
    for (const block of this.blockLog.blocks) if (block.timeMs >= sinceMs) yield block;
  }

  jobOutcomes(sinceMs: number): Iterable<JobNameOutcomes> {
    return this.outcomes.since(sinceMs);
  }

  workers(now: number = this.options.clock()): WorkerSummary[] {
    return buildWorkerSummaries(
      this.workerTable,
      this.live.values(),
      now,
      this.options.workerStatsWindowSeconds,
    );
  }

  jobTimeline(ref: string | JobRef, now: number = this.options.clock()): JobTimeline | undefined {
    return buildJobTimeline(
      { attempts: this.attempts, jobs: this.jobTable, live: this.live, view: this },
      ref,
      now,
    );
  }

  attemptContext(
    traceId: string,
    spanId: string,
    now: number = this.options.clock(),
  ): AttemptContext | undefined {
    const key = traceId + spanId;
    return buildAttemptContext({
      traceId,
      spanId,
      record: this.attempts.get(key),
      live: this.live.get(key),
      snapshot: this.snapshots.get(key),
      workers: this.workers(now),
      dumpsOf: (worker) => this.workerTable.get(worker)?.dumps ?? [],
    });
  }

  windowSizes(): WindowSizes {
    return {
      finishedAttempts: this.attempts.size,
      liveJobs: this.live.size,
      jobs: this.jobTable.size,
      workers: this.workerTable.size,
      queues: this.queueTable.size,
      pendingChildren: this.attempts.pendingChildren,
      endedAttemptKeys: this.endedKeys.size,
      eventLoopBlocks: this.blockLog.blocks.length,
      snapshots: this.snapshots.size,
    };
  }
}

/** Names the error of a failed attempt that has none from what its child recorded. */
function adoptChildException(
  facts: AttemptFacts,
  exception: { errorType: string; errorMessage?: string },
): void {
  if (facts.outcome === 'completed' || facts.errorType !== UNKNOWN_ERROR_TYPE) return;
  facts.errorType = exception.errorType;
  if (facts.errorMessage === undefined) facts.errorMessage = exception.errorMessage;
}
