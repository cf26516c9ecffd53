import {
  ATTR_ERROR_TYPE,
  ATTR_EVENT_LOOP_BLOCKED_DURATION,
  ATTR_JOB_OUTCOME,
  ATTR_QUEUE_STATE,
  ATTR_STEP_NAME,
  JOB_OUTCOMES,
  type JobOutcome,
  METRIC_ACTIVE_JOBS,
  METRIC_LAST_SUCCESS_TIME,
  METRIC_QUEUE_DEPTH,
  METRIC_QUEUE_OLDEST_READY_AGE,
  METRIC_WORKER_HEARTBEATS,
} from '@joblens/semconv';
import type { LogRecordData, MetricPointRecord, SpanRecord } from '../telemetry/records.js';
import type {
  AnalyzerView,
  AttemptContext,
  AttemptView,
  EventLoopBlockView,
  GapView,
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
import { AttemptStore } from './attempt-store.js';
import { readNumber, readString } from './attribute-readers.js';
import { evictOldest } from './evict-oldest.js';
import type { AttemptFacts, JobLogFacts } from './facts.js';
import { JobTable } from './job-table.js';
import { buildJobTimeline } from './job-timeline.js';
import { LiveJobTable } from './live-job-table.js';
import {
  type ResolvedModelOptions,
  resolveModelOptions,
  type TelemetryModelOptions,
} from './model-options.js';
import { readAttempt, readJobLog } from './normalize.js';
import { queueOfAttributes } from './queue-of-attributes.js';
import { QueueTable } from './queue-table.js';
import { StringPool } from './string-pool.js';
import { workerIdentity } from './worker-identity.js';
import { buildWorkerSummaries } from './worker-summaries.js';
import { WorkerTable } from './worker-table.js';

const OUTCOMES: ReadonlySet<string> = new Set(JOB_OUTCOMES);
/** Pruning walks maps; doing it once a second keeps ingest cost per record flat. */
const PRUNE_INTERVAL_MS = 1000;
/** Distinct step, queue and job names shared; names beyond are rare enough to keep as they come. */
const STRING_POOL_SIZE = 20_000;
/** Clock skew and export delay allowed between a block's report and its recovery record. */
const RECOVERY_SLACK_MS = 2000;

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
  private readonly queueTable = new QueueTable();
  /** Attempts whose end was seen (span or ended log), so late records of them change nothing. */
  private readonly endedKeys = new Set<string>();
  private readonly blocks: EventLoopBlockView[] = [];
  private readonly blockKeys = new Set<string>();
  private readonly snapshots = new Map<string, JobLogFacts>();
  private readonly strings = new StringPool(STRING_POOL_SIZE);
  private lastPruneMs = Number.NEGATIVE_INFINITY;
  /** Records skipped because reading them threw. */
  skippedRecords = 0;

  constructor(options: TelemetryModelOptions = {}) {
    this.options = resolveModelOptions(options);
    const o = this.options;
    this.attempts = new AttemptStore(
      o.maxFinishedAttempts,
      o.maxPendingChildren,
      o.maxStepsPerAttempt,
      o.maxCompletedAttemptsWithAttributes,
    );
    this.workerTable = new WorkerTable(o);
    this.jobTable = new JobTable(o.maxJobs);
    this.live = new LiveJobTable(o.maxLiveJobs, (job) => {
      const worker = this.workerTable.byId.get(job.worker);
      if (worker !== undefined && worker.activeJobs > 0) worker.activeJobs -= 1;
    });
  }

  // ---- Ingest -------------------------------------------------------------------------------------

  ingestSpans(spans: readonly SpanRecord[]): void {
    for (const span of spans) {
      try {
        const facts = readAttempt(span);
        if (facts !== undefined) this.ingestAttempt(facts, span);
        else this.ingestChild(span);
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
        this.ingestPoint(point);
      } catch {
        this.skippedRecords += 1;
      }
    }
    this.maybePrune();
  }

  private markEnded(key: string): void {
    this.endedKeys.add(key);
    evictOldest(this.endedKeys, this.options.maxEndedAttemptKeys);
  }

  private ingestAttempt(facts: AttemptFacts, span: SpanRecord): void {
    const key = facts.traceId + facts.spanId;
    facts.queue = this.strings.intern(facts.queue);
    facts.jobName = this.strings.intern(facts.jobName);
    if (!this.attempts.addAttempt(key, facts, span.events)) return;
    const worker = this.workerTable.touch(facts.worker, facts.service, facts.host, facts.endMs);
    worker.queues.add(facts.queue);
    const alreadyEnded = this.endedKeys.has(key);
    const live = alreadyEnded ? undefined : this.live.remove(key);
    if (!alreadyEnded) {
      if (live === undefined) this.workerTable.recordStart(worker, facts.queue, facts.startMs);
      const completed = facts.outcome === 'completed';
      this.workerTable.recordEnd(worker, facts.queue, facts.endMs, facts.endMs - facts.startMs, completed);
      this.markEnded(key);
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
      newAttempt: !alreadyEnded && live === undefined,
    });
  }

  private ingestChild(span: SpanRecord): void {
    const resource = span.resource;
    this.workerTable.touch(workerIdentity(resource), resource.serviceName, resource.hostName, span.endMs);
    if (span.parentSpanId === '') return;
    const parentKey = span.traceId + span.parentSpanId;
    const step = {
      spanId: span.spanId,
      name: this.strings.intern(readString(span.attributes, ATTR_STEP_NAME) ?? span.name),
      startMs: span.startMs,
      endMs: Math.max(span.startMs, span.endMs),
      statusCode: span.statusCode,
    };
    const live = this.live.get(parentKey);
    if (live !== undefined && step.endMs > live.quietSinceMs) live.quietSinceMs = step.endMs;
    this.attempts.addChild(parentKey, step, this.options.clock());
  }

  private ingestLog(log: LogRecordData): void {
    const facts = readJobLog(log);
    if (facts === undefined) {
      const resource = log.resource;
      this.workerTable.touch(workerIdentity(resource), resource.serviceName, resource.hostName, log.timeMs);
      return;
    }
    const worker = this.workerTable.touch(facts.worker, facts.service, facts.host, facts.timeMs);
    switch (facts.kind) {
      case 'started':
      case 'still_running':
        this.ingestRunning(facts);
        return;
      case 'ended':
        this.ingestEnded(facts);
        return;
      case 'failure_snapshot':
        if (facts.traceId === '') return;
        this.snapshots.set(facts.traceId + facts.spanId, facts);
        evictOldest(this.snapshots, this.options.maxSnapshots);
        return;
      case 'worker_dump':
        this.workerTable.recordDump(worker, facts);
        return;
      case 'event_loop_blocked':
        this.ingestBlock(facts);
        return;
      case 'event_loop_recovered':
        this.ingestRecovery(facts);
        return;
      default:
        return;
    }
  }

  private ingestRunning(facts: JobLogFacts): void {
    if (facts.traceId === '' || facts.spanId === '') return;
    const key = facts.traceId + facts.spanId;
    if (this.endedKeys.has(key) || this.attempts.has(key)) return;
    const silenceMs = facts.silenceSeconds === undefined ? undefined : facts.silenceSeconds * 1000;
    const existing = this.live.get(key);
    if (existing === undefined) {
      const queue = facts.queue ?? '';
      const startedMs =
        facts.kind === 'started' ? facts.timeMs : facts.timeMs - (facts.elapsedSeconds ?? 0) * 1000;
      const job: LiveJobView = {
        traceId: facts.traceId,
        spanId: facts.spanId,
        service: facts.service,
        worker: facts.worker,
        host: facts.host,
        queue,
        jobName: facts.jobName ?? queue,
        jobId: facts.jobId ?? facts.spanId,
        attempt: facts.attempt ?? 1,
        startedMs,
        lastRecordMs: facts.timeMs,
        quietSinceMs: facts.timeMs - (silenceMs ?? 0),
        currentStep: facts.currentStep,
      };
      const worker = this.workerTable.touch(facts.worker, facts.service, facts.host, facts.timeMs);
      worker.activeJobs += 1;
      if (queue !== '') worker.queues.add(queue);
      this.workerTable.recordStart(worker, queue, startedMs);
      this.live.add(key, job);
      this.jobTable.record({
        service: job.service,
        queue,
        jobName: job.jobName,
        jobId: job.jobId,
        attempt: job.attempt,
        traceId: job.traceId,
        spanId: job.spanId,
        timeMs: facts.timeMs,
        attemptKey: key,
        newAttempt: true,
      });
      return;
    }
    if (facts.timeMs >= existing.lastRecordMs) {
      existing.lastRecordMs = facts.timeMs;
      if (facts.currentStep !== undefined || facts.kind === 'still_running')
        existing.currentStep = facts.currentStep;
    }
    if (facts.kind === 'started' && facts.timeMs < existing.startedMs) existing.startedMs = facts.timeMs;
    if (silenceMs !== undefined || facts.kind === 'started') {
      const quiet = facts.timeMs - (silenceMs ?? 0);
      if (quiet > existing.quietSinceMs) existing.quietSinceMs = quiet;
    }
  }

  private ingestEnded(facts: JobLogFacts): void {
    if (facts.traceId === '' || facts.spanId === '') return;
    const key = facts.traceId + facts.spanId;
    if (this.endedKeys.has(key) || this.attempts.has(key)) return;
    const live = this.live.remove(key);
    const worker = this.workerTable.touch(facts.worker, facts.service, facts.host, facts.timeMs);
    const queue = facts.queue ?? live?.queue ?? '';
    const declared = readString(facts.attributes, ATTR_JOB_OUTCOME);
    const outcome = declared !== undefined && OUTCOMES.has(declared) ? (declared as JobOutcome) : undefined;
    const busyMs =
      facts.elapsedSeconds !== undefined
        ? facts.elapsedSeconds * 1000
        : live !== undefined
          ? facts.timeMs - live.startedMs
          : 0;
    if (live === undefined) this.workerTable.recordStart(worker, queue, facts.timeMs - busyMs);
    this.workerTable.recordEnd(
      worker,
      queue,
      facts.timeMs,
      busyMs,
      outcome === undefined || outcome === 'completed',
    );
    this.markEnded(key);
    const jobId = facts.jobId ?? live?.jobId;
    if (jobId === undefined) return;
    this.jobTable.record({
      service: facts.service,
      queue,
      jobName: facts.jobName ?? live?.jobName ?? queue,
      jobId,
      attempt: facts.attempt ?? live?.attempt ?? 1,
      traceId: facts.traceId,
      spanId: facts.spanId,
      timeMs: facts.timeMs,
      outcome,
      errorType: readString(facts.attributes, ATTR_ERROR_TYPE),
      attemptKey: key,
      newAttempt: live === undefined,
    });
  }

  private ingestBlock(facts: JobLogFacts): void {
    const dedupKey = `${facts.worker}\u0000${facts.timeMs}`;
    if (this.blockKeys.has(dedupKey)) return;
    this.blockKeys.add(dedupKey);
    this.blocks.push({
      worker: facts.worker,
      service: facts.service,
      host: facts.host,
      timeMs: facts.timeMs,
      blockedSeconds: readNumber(facts.attributes, ATTR_EVENT_LOOP_BLOCKED_DURATION) ?? 0,
      traceId: facts.traceId,
      spanId: facts.spanId,
      queue: facts.queue,
      jobName: facts.jobName,
      jobId: facts.jobId,
      currentStep: facts.currentStep,
    });
    while (this.blocks.length > this.options.maxEventLoopBlocks) this.dropOldestBlock();
  }

  /**
   * The main thread's record once the loop turns again carries the block's total length: it lengthens
   * the block the watchdog thread reported (the same block, not a second one), or stands for it when
   * that record was lost.
   */
  private ingestRecovery(facts: JobLogFacts): void {
    const blockedSeconds = readNumber(facts.attributes, ATTR_EVENT_LOOP_BLOCKED_DURATION) ?? 0;
    const blockStartMs = facts.timeMs - blockedSeconds * 1000 - RECOVERY_SLACK_MS;
    for (let index = this.blocks.length - 1; index >= 0; index--) {
      const block = this.blocks[index];
      if (block.worker !== facts.worker || block.timeMs > facts.timeMs) continue;
      if (block.timeMs < blockStartMs) break;
      if (blockedSeconds > block.blockedSeconds) block.blockedSeconds = blockedSeconds;
      return;
    }
    this.ingestBlock(facts);
  }

  private dropOldestBlock(): void {
    const oldest = this.blocks.shift();
    if (oldest !== undefined) this.blockKeys.delete(`${oldest.worker}\u0000${oldest.timeMs}`);
  }

  private ingestPoint(point: MetricPointRecord): void {
    const resource = point.resource;
    const worker = this.workerTable.touch(
      workerIdentity(resource),
      resource.serviceName,
      resource.hostName,
      point.timeMs,
    );
    switch (point.name) {
      case METRIC_WORKER_HEARTBEATS:
        this.workerTable.recordHeartbeat(worker, point.timeMs);
        return;
      case METRIC_QUEUE_DEPTH: {
        const queue = queueOfAttributes(point.attributes);
        const state = readString(point.attributes, ATTR_QUEUE_STATE);
        if (queue === undefined || state === undefined) return;
        worker.queues.add(queue);
        this.queueTable.recordDepth(resource.serviceName, queue, state, point.value, point.timeMs);
        return;
      }
      case METRIC_QUEUE_OLDEST_READY_AGE: {
        const queue = queueOfAttributes(point.attributes);
        if (queue === undefined) return;
        worker.queues.add(queue);
        this.queueTable.recordOldestReadyAge(resource.serviceName, queue, point.value, point.timeMs);
        return;
      }
      case METRIC_ACTIVE_JOBS:
        if (Number.isFinite(point.value)) {
          const queue = queueOfAttributes(point.attributes) ?? '';
          this.workerTable.recordReportedActive(worker, queue, point.value, point.timeMs);
        }
        return;
      case METRIC_LAST_SUCCESS_TIME:
        if (Number.isFinite(point.value) && point.value > 0) {
          const ms = point.value * 1000;
          if (worker.lastCompletionMs === undefined || ms > worker.lastCompletionMs)
            worker.lastCompletionMs = ms;
        }
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
    const blockCutoff = now - o.eventLoopBlockRetentionSeconds * 1000;
    while (this.blocks.length > 0 && this.blocks[0].timeMs < blockCutoff) this.dropOldestBlock();
  }

  // ---- AnalyzerView -------------------------------------------------------------------------------

  *finishedAttempts(sinceMs: number): Iterable<AttemptView> {
    for (const record of this.attempts.byKey.values()) if (record.facts.endMs >= sinceMs) yield record;
  }

  attemptGaps(attempt: AttemptView): readonly GapView[] {
    return this.attempts.gaps(attempt);
  }

  liveJobs(): Iterable<LiveJobView> {
    return this.live.byKey.values();
  }

  *jobs(sinceMs: number): Iterable<JobView> {
    for (const job of this.jobTable.byKey.values()) if (job.lastSeenMs >= sinceMs) yield job;
  }

  workerStates(): Iterable<WorkerView> {
    return this.workerTable.byId.values();
  }

  workerQueueStats(worker: string, queue: string, sinceMs: number): WorkerQueueStats {
    return this.workerTable.stats(worker, queue, sinceMs);
  }

  queueStates(): Iterable<QueueView> {
    return this.queueTable.byKey.values();
  }

  *eventLoopBlocks(sinceMs: number): Iterable<EventLoopBlockView> {
    for (const block of this.blocks) if (block.timeMs >= sinceMs) yield block;
  }

  workers(now: number = this.options.clock()): WorkerSummary[] {
    return buildWorkerSummaries(
      this.workerTable,
      this.live.byKey.values(),
      now,
      this.options.workerStatsWindowSeconds,
    );
  }

  jobTimeline(ref: string | JobRef, now: number = this.options.clock()): JobTimeline | undefined {
    return buildJobTimeline(
      { attempts: this.attempts, jobs: this.jobTable, live: this.live.byKey, view: this },
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
      dumpsOf: (worker) => this.workerTable.byId.get(worker)?.dumps ?? [],
    });
  }

  windowSizes(): WindowSizes {
    return {
      finishedAttempts: this.attempts.byKey.size,
      liveJobs: this.live.byKey.size,
      jobs: this.jobTable.byKey.size,
      workers: this.workerTable.byId.size,
      queues: this.queueTable.byKey.size,
      pendingChildren: this.attempts.pendingChildren,
      endedAttemptKeys: this.endedKeys.size,
      eventLoopBlocks: this.blocks.length,
      snapshots: this.snapshots.size,
    };
  }
}
