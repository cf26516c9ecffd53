import type { Attributes } from '@joblens/otlp-receiver';
import type { JobOutcome, QueueState } from '@joblens/semconv';
import type { AttemptFacts, JobLogFacts } from './facts.js';

/** A child span of an attempt. */
export interface StepView {
  spanId: string;
  name: string;
  startMs: number;
  endMs: number;
  /** OTLP status code. */
  statusCode: number;
}

/** A span event on an attempt span; checkpoints are the `joblens.checkpoint` events. */
export interface MarkView {
  kind: 'event' | 'checkpoint';
  /** The event name, or the checkpoint's name for checkpoints. */
  name: string;
  timeMs: number;
  attributes: Attributes;
}

/** An interval of a finished attempt with no step, event or checkpoint. */
export interface GapView {
  startMs: number;
  endMs: number;
  seconds: number;
  /** What happened last before the gap: a step name, a checkpoint or event name, or `start`. */
  after: string;
  /** What happened first after the gap: a step name, a checkpoint or event name, or `end`. */
  before: string;
  /** `after->before`: the same place in every job of one name. */
  location: string;
}

export interface AttemptView {
  facts: AttemptFacts;
  /** Sorted by start. */
  steps: readonly StepView[];
  /** Sorted by time. */
  marks: readonly MarkView[];
  /**
   * When the analyzer received the attempt's span, by the analyzer's clock: spans reach it seconds after
   * they end (an exporter's batch delay, a Collector, a retry after 503), so how long ago an attempt ended
   * says nothing of whether its steps are all in. A step that comes later does not move it: an attempt
   * judged once stays judged, rather than leaving a finding for a moment when a straggler arrives.
   */
  receivedMs: number;
}

/** An attempt seen started (by its log records) whose end has not been seen yet. */
export interface LiveJobView {
  traceId: string;
  spanId: string;
  service: string;
  worker: string;
  host: string;
  queue: string;
  jobName: string;
  jobId: string;
  attempt: number;
  startedMs: number;
  /** Time of the newest record about this attempt. */
  lastRecordMs: number;
  /** When the attempt last did something (step start or end, event, checkpoint), as far as known. */
  quietSinceMs: number;
  currentStep?: string;
  /** The latest `still running` record's attributes, once it reported the attempt silent (see model options). */
  attributes?: Attributes;
}

/** What a worker's consumers of one queue reported in their newest export (see `joblens.consumers`). */
export interface ConsumerView {
  /** Time of the newest `joblens.consumers` points. */
  timeMs: number;
  /** Each state and connection status that counted at least one consumer then. */
  states: { state: string; connection: string; consumers: number }[];
  /** Unix ms of the newest `joblens.consumer.last_fetch.time`. */
  lastFetchMs?: number;
}

export interface WorkerView {
  worker: string;
  service: string;
  host: string;
  firstSeenMs: number;
  /** Time of the newest record of any kind from this worker. */
  lastSeenMs: number;
  /** Time of the newest heartbeat metric point; undefined when the worker never sent one. */
  lastHeartbeatMs?: number;
  /** Smoothed interval between heartbeat points. */
  heartbeatIntervalMs?: number;
  /** Newest completed attempt, from spans, ended logs, the last-success gauge or the outcome counter. */
  lastCompletionMs?: number;
  /** Newest end of any attempt, from spans, ended logs or the outcome counter (which sampling leaves whole). */
  lastAttemptEndMs?: number;
  /** Live jobs the analyzer tracks for this worker. */
  activeJobs: number;
  /** Sum of the worker's newest `joblens.jobs.active` gauge points; undefined when none came. */
  reportedActiveJobs?: number;
  reportedActiveTimeMs?: number;
  /** Queues the worker processed or reported. */
  queues: ReadonlySet<string>;
  /** `process.pid` from the worker's resource, for `joblens dump <pid>` on its host. */
  pid?: number;
  /** What its queue consumers (a BullMQ worker, through `observeWorker`) reported, by queue; undefined when none did. */
  consumers?: ReadonlyMap<string, ConsumerView>;
  /**
   * When the worker announced a deliberate stop (`joblens.worker.stopped`); undefined while it runs, and
   * cleared by a record stamped after the stop's final flush (the same instance id started again).
   */
  stoppedMs?: number;
}

/** Work a worker did on one queue within a window (bucketed: bounds are rounded to the bucket size). */
export interface WorkerQueueStats {
  attemptsStarted: number;
  busySeconds: number;
  completed: number;
  failed: number;
}

export interface QueueView {
  service: string;
  queue: string;
  /** Newest depth per state. */
  depthByState: Partial<Record<QueueState, number>>;
  depthTimeMs?: number;
  oldestReadyAgeSeconds?: number;
  oldestReadyTimeMs?: number;
  /**
   * The latest oldest-ready-age readings (at most {@link MAX_RECENT_READY_AGES}), oldest first: one reading
   * flickers with every poll of a queue that drains and refills, what it reads over a window does not.
   */
  recentOldestReadyAges?: readonly { timeMs: number; seconds: number }[];
}

/** Bound of `QueueView.recentOldestReadyAges`: five minutes of readings from two workers every 10 s, or one minute of three every second. */
export const MAX_RECENT_READY_AGES = 180;

/** One job (service + queue + job id) across its attempts. */
export interface JobView {
  service: string;
  queue: string;
  jobName: string;
  jobId: string;
  /** Attempts seen (spans and started logs). */
  attemptsSeen: number;
  /** Highest attempt number seen. */
  maxAttempt: number;
  maxAttempts?: number;
  lastOutcome?: JobOutcome;
  firstSeenMs: number;
  lastSeenMs: number;
  /** error.type → failed attempts with it. */
  errorTypes: ReadonlyMap<string, number>;
  latestTraceId: string;
  latestSpanId: string;
}

/** Attempts of one job name ended within a window, by outcome, from the SDK's (unsampled) outcome counter. */
export interface JobNameOutcomes {
  service: string;
  queue: string;
  jobName: string;
  counts: Record<JobOutcome, number>;
  total: number;
}

export interface EventLoopBlockView {
  worker: string;
  service: string;
  host: string;
  timeMs: number;
  blockedSeconds: number;
  /** CPU the main thread used while blocked, when the watchdog could tell (Linux). */
  cpuSeconds?: number;
  /** Time the main thread waited for a CPU while blocked, likewise. */
  cpuWaitSeconds?: number;
  /**
   * Of the block the worker accounts for (time not spent waiting for a CPU), the share the main thread
   * ran: near 1 for synchronous work, near 0 for a synchronous call waiting. Undefined when not known.
   */
  cpuShare?: number;
  traceId: string;
  spanId: string;
  queue?: string;
  jobName?: string;
  jobId?: string;
  currentStep?: string;
  /**
   * The main thread's stack while blocked, innermost frame first (`joblens.event_loop.blocked_stack`);
   * undefined when the watchdog sent none.
   */
  stack?: string[];
}

interface WorkerQueueShare {
  queue: string;
  attemptsStarted: number;
  /** This worker's part of the queue's attempts started in the window, 0..1. */
  share: number;
}

export interface WorkerSummary {
  worker: string;
  service: string;
  host: string;
  pid?: number;
  lastHeartbeatMs?: number;
  heartbeatAgeSeconds?: number;
  lastSeenMs: number;
  activeJobs: number;
  queues: WorkerQueueShare[];
  oldestActiveJob?: {
    traceId: string;
    spanId: string;
    queue: string;
    jobName: string;
    jobId: string;
    elapsedSeconds: number;
    currentStep?: string;
    silenceSeconds: number;
  };
  completedInWindow: number;
  busySecondsInWindow: number;
  lastCompletionMs?: number;
  /** When the worker announced a deliberate stop; undefined while it runs. */
  stoppedMs?: number;
}

export interface AttemptTimeline {
  traceId: string;
  spanId: string;
  attempt: number;
  worker: string;
  host: string;
  startMs: number;
  endMs: number;
  outcome: JobOutcome;
  errorType?: string;
  errorMessage?: string;
  steps: readonly StepView[];
  events: MarkView[];
  checkpoints: MarkView[];
  gaps: readonly GapView[];
}

export interface LiveAttemptTimeline {
  traceId: string;
  spanId: string;
  attempt: number;
  worker: string;
  host: string;
  startedMs: number;
  currentStep?: string;
  silenceSeconds: number;
  elapsedSeconds: number;
  /** Steps already finished (their spans arrived before the attempt's). */
  steps: readonly StepView[];
}

export interface JobTimeline {
  service: string;
  queue: string;
  jobName: string;
  jobId: string;
  /** Oldest first. */
  attempts: AttemptTimeline[];
  live?: LiveAttemptTimeline;
}

export interface JobRef {
  service: string;
  queue: string;
  jobId: string;
}

export interface AttemptContext {
  traceId: string;
  spanId: string;
  /** Present once the attempt span arrived. */
  facts?: AttemptFacts;
  live?: LiveJobView;
  attributes: Attributes;
  /** The failure snapshot: the log record when one came, else the span event's attributes. */
  snapshot?: Attributes;
  /** Dumps the worker wrote while the attempt ran (or its latest ones). */
  dumps: JobLogFacts[];
  worker?: WorkerSummary;
}

/** How much each rolling window holds now, for the analyzer's health metrics. */
export type WindowSizes = Record<
  | 'finishedAttempts'
  | 'liveJobs'
  | 'jobs'
  | 'workers'
  | 'queues'
  | 'pendingChildren'
  | 'endedAttemptKeys'
  | 'eventLoopBlocks'
  | 'snapshots',
  number
>;

/**
 * What detectors, the API, the findings page and `explain` read. Iterables are live views of the
 * model's windows: read them within one evaluation, do not keep them.
 */
export interface AnalyzerView {
  /** Finished attempts whose end is at or after `sinceMs`. */
  finishedAttempts(sinceMs: number): Iterable<AttemptView>;
  /** The attempt's silent intervals, longest first (computed once all known children are in). */
  attemptGaps(attempt: AttemptView): readonly GapView[];
  /** Seconds of the attempt's longest silent interval, 0 when none: `attemptGaps(a)[0]?.seconds ?? 0`, cheaper. */
  attemptLongestGapSeconds(attempt: AttemptView): number;
  liveJobs(): Iterable<LiveJobView>;
  /** Jobs with a record at or after `sinceMs`. */
  jobs(sinceMs: number): Iterable<JobView>;
  workerStates(): Iterable<WorkerView>;
  workerQueueStats(worker: string, queue: string, sinceMs: number): WorkerQueueStats;
  queueStates(): Iterable<QueueView>;
  eventLoopBlocks(sinceMs: number): Iterable<EventLoopBlockView>;
  /** Outcome counts per job name since `sinceMs` (bucketed), for names whose workers send the counter. */
  jobOutcomes(sinceMs: number): Iterable<JobNameOutcomes>;

  workers(now: number): WorkerSummary[];
  /** By trace id (any attempt's), or by service + queue + job id. */
  jobTimeline(ref: string | JobRef, now?: number): JobTimeline | undefined;
  attemptContext(traceId: string, spanId: string, now?: number): AttemptContext | undefined;
  windowSizes(): WindowSizes;
}
