import { randomBytes } from 'node:crypto';
// Type-only: test-utils must not load the analyzer at run time (the analyzer's tests load test-utils). Nor is
// the analyzer in test-utils' package.json: the types resolve through tsconfig.json's paths, and declaring it
// would make a dependency cycle that pnpm warns about at every install.
import type {
  Attributes,
  LogRecordData,
  MetricPointRecord,
  ResourceRecord,
  SpanEventRecord,
  SpanRecord,
} from '@joblens/analyzer';
import {
  ATTR_CHECKPOINT_NAME,
  ATTR_CONSUMER_CONNECTION,
  ATTR_CONSUMER_STATE,
  ATTR_ERROR_TYPE,
  ATTR_EVENT_LOOP_BLOCKED_CPU_TIME,
  ATTR_EVENT_LOOP_BLOCKED_CPU_WAIT,
  ATTR_EVENT_LOOP_BLOCKED_DURATION,
  ATTR_EVENT_LOOP_BLOCKED_STACK,
  ATTR_HOST_NAME,
  ATTR_JOB_ATTEMPT,
  ATTR_JOB_CURRENT_STEP,
  ATTR_JOB_ELAPSED,
  ATTR_JOB_ID,
  ATTR_JOB_MAX_ATTEMPTS,
  ATTR_JOB_NAME,
  ATTR_JOB_OUTCOME,
  ATTR_JOB_QUEUE_WAIT,
  ATTR_JOB_SILENCE,
  ATTR_MESSAGING_DESTINATION_NAME,
  ATTR_MESSAGING_OPERATION_TYPE,
  ATTR_MESSAGING_SYSTEM,
  ATTR_PROCESS_PID,
  ATTR_QUEUE_STATE,
  ATTR_SERVICE_INSTANCE_ID,
  ATTR_SERVICE_NAME,
  ATTR_STEP_NAME,
  ATTR_WORKER_ID,
  ATTR_WORKER_STOP_REASON,
  attemptSpanName,
  EVENT_CHECKPOINT,
  INSTRUMENTATION_SCOPE,
  type JobOutcome,
  LOG_EVENT_LOOP_BLOCKED,
  LOG_FAILURE_SNAPSHOT,
  LOG_JOB_ENDED,
  LOG_JOB_STARTED,
  LOG_JOB_STILL_RUNNING,
  LOG_WORKER_DUMP,
  LOG_WORKER_STOPPED,
  MESSAGING_OPERATION_PROCESS,
  MESSAGING_SYSTEM_GENERIC,
  METRIC_ACTIVE_JOBS,
  METRIC_CONSUMER_LAST_FETCH_TIME,
  METRIC_CONSUMERS,
  METRIC_JOB_OUTCOMES,
  METRIC_LAST_SUCCESS_TIME,
  METRIC_QUEUE_DEPTH,
  METRIC_QUEUE_OLDEST_READY_AGE,
  METRIC_WORKER_HEARTBEATS,
  type QueueState,
  type WorkerStopReason,
} from '@joblens/semconv';

// OTLP numbers, repeated here so this file needs no run-time import from the analyzer.
const KIND_INTERNAL = 1;
const KIND_CONSUMER = 5;
const STATUS_UNSET = 0;
const STATUS_ERROR = 2;

let sequence = 0;
const runPrefix = randomBytes(4).toString('hex');

/** A fresh 32-hex trace id, unique within the test run. */
export function makeTraceId(): string {
  sequence += 1;
  return `${runPrefix}${sequence.toString(16).padStart(24, '0')}`;
}

/** A fresh 16-hex span id, unique within the test run. */
export function makeSpanId(): string {
  sequence += 1;
  return `${runPrefix}${sequence.toString(16).padStart(8, '0')}`;
}

export interface ResourceInit {
  /** Default `svc`. */
  service?: string;
  /** `service.instance.id`; default `worker-1`; '' for none. */
  worker?: string;
  /** Default `host-1`; '' for none. */
  host?: string;
  pid?: number;
}

export function makeResource(init: ResourceInit = {}): ResourceRecord {
  const serviceName = init.service ?? 'svc';
  const serviceInstanceId = init.worker ?? 'worker-1';
  const hostName = init.host ?? 'host-1';
  const attributes: Attributes = { [ATTR_SERVICE_NAME]: serviceName };
  if (serviceInstanceId !== '') attributes[ATTR_SERVICE_INSTANCE_ID] = serviceInstanceId;
  if (hostName !== '') attributes[ATTR_HOST_NAME] = hostName;
  if (init.pid !== undefined) attributes[ATTR_PROCESS_PID] = init.pid;
  return { serviceName, serviceInstanceId, hostName, attributes };
}

export interface AttemptSpanInit {
  resource?: ResourceRecord;
  traceId?: string;
  spanId?: string;
  parentSpanId?: string;
  /** Default `emails`. */
  queue?: string;
  /** Default `send`. */
  jobName?: string;
  /** Default: a fresh id. */
  jobId?: string;
  /** Default 1. */
  attempt?: number;
  maxAttempts?: number;
  /** Written as `joblens.job.outcome` when given; a failing outcome also sets status ERROR. */
  outcome?: JobOutcome;
  errorType?: string;
  /** Default 0. */
  startMs?: number;
  /** Default 1000. */
  durationMs?: number;
  queueWaitSeconds?: number;
  statusCode?: number;
  events?: SpanEventRecord[];
  /** Extra attributes, written last (they win). */
  attributes?: Attributes;
}

/** An attempt span as the joblens SDK writes it. */
export function makeAttemptSpan(init: AttemptSpanInit = {}): SpanRecord {
  const queue = init.queue ?? 'emails';
  const startMs = init.startMs ?? 0;
  const failing = init.outcome !== undefined && init.outcome !== 'completed';
  const attributes: Attributes = {
    [ATTR_MESSAGING_SYSTEM]: MESSAGING_SYSTEM_GENERIC,
    [ATTR_MESSAGING_OPERATION_TYPE]: MESSAGING_OPERATION_PROCESS,
    [ATTR_MESSAGING_DESTINATION_NAME]: queue,
    [ATTR_JOB_NAME]: init.jobName ?? 'send',
    [ATTR_JOB_ID]: init.jobId ?? makeSpanId(),
    [ATTR_JOB_ATTEMPT]: init.attempt ?? 1,
  };
  if (init.maxAttempts !== undefined) attributes[ATTR_JOB_MAX_ATTEMPTS] = init.maxAttempts;
  if (init.outcome !== undefined) attributes[ATTR_JOB_OUTCOME] = init.outcome;
  if (init.errorType !== undefined) attributes[ATTR_ERROR_TYPE] = init.errorType;
  if (init.queueWaitSeconds !== undefined) attributes[ATTR_JOB_QUEUE_WAIT] = init.queueWaitSeconds;
  Object.assign(attributes, init.attributes);
  return {
    resource: init.resource ?? makeResource(),
    scopeName: INSTRUMENTATION_SCOPE,
    traceId: init.traceId ?? makeTraceId(),
    spanId: init.spanId ?? makeSpanId(),
    parentSpanId: init.parentSpanId ?? '',
    name: attemptSpanName(queue),
    kind: KIND_CONSUMER,
    startMs,
    endMs: startMs + (init.durationMs ?? 1000),
    statusCode: init.statusCode ?? (failing ? STATUS_ERROR : STATUS_UNSET),
    statusMessage: failing ? (init.errorType ?? 'failed') : '',
    attributes,
    events: init.events ?? [],
    links: [],
  };
}

export interface StepSpanInit {
  /** The attempt (or step) span this step runs under. */
  parent: Pick<SpanRecord, 'traceId' | 'spanId' | 'resource'>;
  name: string;
  startMs: number;
  endMs: number;
  spanId?: string;
  statusCode?: number;
  events?: SpanEventRecord[];
}

/** A step: a child span of an attempt, as `ctx.step(name, fn)` writes it. */
export function makeStepSpan(init: StepSpanInit): SpanRecord {
  return {
    resource: init.parent.resource,
    scopeName: INSTRUMENTATION_SCOPE,
    traceId: init.parent.traceId,
    spanId: init.spanId ?? makeSpanId(),
    parentSpanId: init.parent.spanId,
    name: init.name,
    kind: KIND_INTERNAL,
    startMs: init.startMs,
    endMs: init.endMs,
    statusCode: init.statusCode ?? STATUS_UNSET,
    statusMessage: '',
    attributes: { [ATTR_STEP_NAME]: init.name },
    events: init.events ?? [],
    links: [],
  };
}

/** A checkpoint event, as `ctx.checkpoint(name)` adds it to the attempt span. */
export function makeCheckpointEvent(name: string, timeMs: number): SpanEventRecord {
  return { name: EVENT_CHECKPOINT, timeMs, attributes: { [ATTR_CHECKPOINT_NAME]: name } };
}

export type JobLogKindName = 'started' | 'still_running' | 'ended' | 'failure_snapshot' | 'worker_dump';

const LOG_EVENT_NAMES: Record<JobLogKindName, string> = {
  started: LOG_JOB_STARTED,
  still_running: LOG_JOB_STILL_RUNNING,
  ended: LOG_JOB_ENDED,
  failure_snapshot: LOG_FAILURE_SNAPSHOT,
  worker_dump: LOG_WORKER_DUMP,
};

export interface JobLogInit {
  kind: JobLogKindName;
  /** The attempt span whose context the record carries; its resource and job attributes are copied. */
  attempt: SpanRecord;
  timeMs: number;
  silenceSeconds?: number;
  elapsedSeconds?: number;
  currentStep?: string;
  outcome?: JobOutcome;
  attributes?: Attributes;
}

/** A job log record (started, still running, ended, snapshot) in an attempt span's context. */
export function makeJobLog(init: JobLogInit): LogRecordData {
  const span = init.attempt;
  const attributes: Attributes = {
    [ATTR_MESSAGING_DESTINATION_NAME]: span.attributes[ATTR_MESSAGING_DESTINATION_NAME] ?? null,
    [ATTR_JOB_NAME]: span.attributes[ATTR_JOB_NAME] ?? null,
    [ATTR_JOB_ID]: span.attributes[ATTR_JOB_ID] ?? null,
    [ATTR_JOB_ATTEMPT]: span.attributes[ATTR_JOB_ATTEMPT] ?? 1,
  };
  if (init.silenceSeconds !== undefined) attributes[ATTR_JOB_SILENCE] = init.silenceSeconds;
  if (init.elapsedSeconds !== undefined) attributes[ATTR_JOB_ELAPSED] = init.elapsedSeconds;
  if (init.currentStep !== undefined) attributes[ATTR_JOB_CURRENT_STEP] = init.currentStep;
  if (init.outcome !== undefined) attributes[ATTR_JOB_OUTCOME] = init.outcome;
  Object.assign(attributes, init.attributes);
  return {
    resource: span.resource,
    scopeName: INSTRUMENTATION_SCOPE,
    timeMs: init.timeMs,
    severityNumber: 9,
    severityText: 'INFO',
    body: init.kind,
    eventName: LOG_EVENT_NAMES[init.kind],
    traceId: span.traceId,
    spanId: span.spanId,
    attributes,
  };
}

export interface EventLoopBlockedInit {
  resource?: ResourceRecord;
  timeMs: number;
  /** Default 2. */
  blockedSeconds?: number;
  /** The attempt running when the loop blocked, if any. */
  attempt?: SpanRecord;
  currentStep?: string;
  /** CPU the main thread used while blocked, as the watchdog reports it on Linux. Default: not sent. */
  cpuSeconds?: number;
  /** Time it waited for a CPU meanwhile. Default 0 when `cpuSeconds` is given. */
  cpuWaitSeconds?: number;
  /** The main thread's stack while blocked, innermost frame first. Default: not sent. */
  stack?: string[];
}

/** The watchdog's record of a blocked event loop. */
export function makeEventLoopBlockedLog(init: EventLoopBlockedInit): LogRecordData {
  const span = init.attempt;
  const attributes: Attributes = { [ATTR_EVENT_LOOP_BLOCKED_DURATION]: init.blockedSeconds ?? 2 };
  if (span) {
    for (const key of [ATTR_MESSAGING_DESTINATION_NAME, ATTR_JOB_NAME, ATTR_JOB_ID, ATTR_JOB_ATTEMPT]) {
      if (span.attributes[key] !== undefined) attributes[key] = span.attributes[key];
    }
  }
  if (init.currentStep !== undefined) attributes[ATTR_JOB_CURRENT_STEP] = init.currentStep;
  if (init.cpuSeconds !== undefined) {
    attributes[ATTR_EVENT_LOOP_BLOCKED_CPU_TIME] = init.cpuSeconds;
    attributes[ATTR_EVENT_LOOP_BLOCKED_CPU_WAIT] = init.cpuWaitSeconds ?? 0;
  }
  if (init.stack !== undefined) attributes[ATTR_EVENT_LOOP_BLOCKED_STACK] = init.stack;
  return {
    resource: init.resource ?? span?.resource ?? makeResource(),
    scopeName: INSTRUMENTATION_SCOPE,
    timeMs: init.timeMs,
    severityNumber: 13,
    severityText: 'WARN',
    body: 'event loop blocked',
    eventName: LOG_EVENT_LOOP_BLOCKED,
    traceId: span?.traceId ?? '',
    spanId: span?.spanId ?? '',
    attributes,
  };
}

/** The SDK's `worker stopped` record: the process stops on purpose (shutdown, SIGTERM, end of a script). */
export function makeWorkerStoppedLog(init: {
  resource: ResourceRecord;
  timeMs: number;
  /** Default `shutdown`. */
  reason?: WorkerStopReason;
}): LogRecordData {
  return {
    resource: init.resource,
    scopeName: INSTRUMENTATION_SCOPE,
    timeMs: init.timeMs,
    severityNumber: 9,
    severityText: 'INFO',
    body: 'worker stopped',
    eventName: LOG_WORKER_STOPPED,
    traceId: '',
    spanId: '',
    attributes: {
      [ATTR_WORKER_ID]: init.resource.serviceInstanceId,
      [ATTR_WORKER_STOP_REASON]: init.reason ?? 'shutdown',
    },
  };
}

interface PointInit {
  resource?: ResourceRecord;
  timeMs: number;
}

function point(
  init: PointInit,
  name: string,
  unit: string,
  kind: 'gauge' | 'sum',
  value: number,
  attributes: Attributes,
): MetricPointRecord {
  return {
    resource: init.resource ?? makeResource(),
    scopeName: INSTRUMENTATION_SCOPE,
    name,
    unit,
    kind,
    monotonic: kind === 'sum',
    temporality: kind === 'sum' ? 2 : 0,
    timeMs: init.timeMs,
    startTimeMs: 0,
    attributes,
    value,
  };
}

/** One export of the heartbeat counter (cumulative). */
export function makeHeartbeatPoint(init: PointInit & { count?: number }): MetricPointRecord {
  return point(init, METRIC_WORKER_HEARTBEATS, '{heartbeat}', 'sum', init.count ?? 1, {});
}

export function makeQueueDepthPoint(
  init: PointInit & { queue?: string; state?: QueueState; depth: number },
): MetricPointRecord {
  return point(init, METRIC_QUEUE_DEPTH, '{job}', 'gauge', init.depth, {
    [ATTR_MESSAGING_DESTINATION_NAME]: init.queue ?? 'emails',
    [ATTR_QUEUE_STATE]: init.state ?? 'waiting',
  });
}

export function makeOldestReadyAgePoint(
  init: PointInit & { queue?: string; ageSeconds: number },
): MetricPointRecord {
  return point(init, METRIC_QUEUE_OLDEST_READY_AGE, 's', 'gauge', init.ageSeconds, {
    [ATTR_MESSAGING_DESTINATION_NAME]: init.queue ?? 'emails',
  });
}

export function makeActiveJobsPoint(init: PointInit & { queue?: string; active: number }): MetricPointRecord {
  return point(init, METRIC_ACTIVE_JOBS, '{job}', 'gauge', init.active, {
    [ATTR_MESSAGING_DESTINATION_NAME]: init.queue ?? 'emails',
  });
}

export function makeLastSuccessPoint(
  init: PointInit & { queue?: string; lastSuccessMs: number },
): MetricPointRecord {
  return point(init, METRIC_LAST_SUCCESS_TIME, 's', 'gauge', init.lastSuccessMs / 1000, {
    [ATTR_MESSAGING_DESTINATION_NAME]: init.queue ?? 'emails',
  });
}

/** One point of the cumulative `joblens.job.outcomes` counter of one worker (attempts ended by outcome). */
export function makeJobOutcomesPoint(
  init: PointInit & {
    queue?: string;
    jobName?: string;
    outcome: JobOutcome;
    count: number;
    startTimeMs?: number;
  },
): MetricPointRecord {
  const record = point(init, METRIC_JOB_OUTCOMES, '{job}', 'sum', init.count, {
    [ATTR_MESSAGING_DESTINATION_NAME]: init.queue ?? 'emails',
    [ATTR_JOB_NAME]: init.jobName ?? 'send',
    [ATTR_JOB_OUTCOME]: init.outcome,
  });
  record.startTimeMs = init.startTimeMs ?? init.timeMs - 1000;
  return record;
}

/** One export of `joblens.consumers`: how many consumers of the queue are in each state and connection status. */
export function makeConsumerPoints(
  init: PointInit & {
    queue?: string;
    states: { state: string; connection?: string; consumers?: number }[];
  },
): MetricPointRecord[] {
  return init.states.map((s) =>
    point(init, METRIC_CONSUMERS, '{consumer}', 'gauge', s.consumers ?? 1, {
      [ATTR_MESSAGING_DESTINATION_NAME]: init.queue ?? 'emails',
      [ATTR_CONSUMER_STATE]: s.state,
      [ATTR_CONSUMER_CONNECTION]: s.connection ?? 'ready',
    }),
  );
}

export function makeLastFetchPoint(
  init: PointInit & { queue?: string; lastFetchMs: number },
): MetricPointRecord {
  return point(init, METRIC_CONSUMER_LAST_FETCH_TIME, 's', 'gauge', init.lastFetchMs / 1000, {
    [ATTR_MESSAGING_DESTINATION_NAME]: init.queue ?? 'emails',
  });
}
