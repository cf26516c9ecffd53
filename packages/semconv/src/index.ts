/**
 * The joblens telemetry contract, as code. `docs/semantic-conventions.md` says the same for people;
 * change both together. The SDK writes these names and the analyzer reads them: neither spells a
 * telemetry name as a string literal of its own.
 *
 * OpenTelemetry names follow semantic conventions v1.36.0 (messaging: Development status; runtime
 * `nodejs.*` metrics: Development status; `error.type`, `service.*`, `host.name`: Stable).
 */

export const SEMCONV_VERSION = '1.36.0';
export const JOBLENS_SCHEMA_VERSION = '1';
export const INSTRUMENTATION_SCOPE = '@joblens/sdk';

// ---- Resource attributes -------------------------------------------------------------------------
export const ATTR_SERVICE_NAME = 'service.name';
export const ATTR_SERVICE_INSTANCE_ID = 'service.instance.id';
export const ATTR_SERVICE_VERSION = 'service.version';
export const ATTR_HOST_NAME = 'host.name';
export const ATTR_PROCESS_PID = 'process.pid';
export const ATTR_JOBLENS_SDK_VERSION = 'joblens.sdk.version';

// ---- Messaging attributes (OpenTelemetry semconv, Development) -----------------------------------
export const ATTR_MESSAGING_SYSTEM = 'messaging.system';
export const ATTR_MESSAGING_OPERATION_TYPE = 'messaging.operation.type';
export const ATTR_MESSAGING_OPERATION_NAME = 'messaging.operation.name';
export const ATTR_MESSAGING_DESTINATION_NAME = 'messaging.destination.name';
export const ATTR_MESSAGING_MESSAGE_ID = 'messaging.message.id';
export const ATTR_MESSAGING_CONSUMER_GROUP_NAME = 'messaging.consumer.group.name';
export const ATTR_ERROR_TYPE = 'error.type';
export const ATTR_EXCEPTION_TYPE = 'exception.type';
export const ATTR_EXCEPTION_MESSAGE = 'exception.message';
export const ATTR_EXCEPTION_STACKTRACE = 'exception.stacktrace';

/** Keys some instrumentations still emit (semconv before v1.26); the analyzer reads them as aliases. */
export const LEGACY_MESSAGING_ALIASES: Readonly<Record<string, string>> = {
  'messaging.operation': ATTR_MESSAGING_OPERATION_TYPE,
  'messaging.destination': ATTR_MESSAGING_DESTINATION_NAME,
  'messaging.message_id': ATTR_MESSAGING_MESSAGE_ID,
  'messaging.kafka.consumer.group': ATTR_MESSAGING_CONSUMER_GROUP_NAME,
};

/** `messaging.operation.type` value of an attempt span. Older instrumentations send `receive` or `process`. */
export const MESSAGING_OPERATION_PROCESS = 'process';
/** `messaging.system` for the generic adapter, where no broker names itself. */
export const MESSAGING_SYSTEM_GENERIC = 'joblens';
export const MESSAGING_SYSTEM_BULLMQ = 'bullmq';

/** The attempt span's name: `process {queue}` (messaging semconv span name format). */
export function attemptSpanName(queue: string): string {
  return `${MESSAGING_OPERATION_PROCESS} ${queue}`;
}

// ---- BullMQ's own telemetry (bullmq-otel), read by the analyzer as a second dialect -------------
export const ATTR_BULLMQ_JOB_ID = 'bullmq.job.id';
export const ATTR_BULLMQ_JOB_NAME = 'bullmq.job.name';
export const ATTR_BULLMQ_JOB_ATTEMPTS_MADE = 'bullmq.job.attempts.made';
export const ATTR_BULLMQ_QUEUE_NAME = 'bullmq.queue.name';
export const ATTR_BULLMQ_WORKER_NAME = 'bullmq.worker.name';
export const ATTR_BULLMQ_JOB_FAILED_REASON = 'bullmq.job.failed.reason';

// ---- joblens job attributes (on attempt spans, job log records and snapshot events) --------------
export const ATTR_JOB_ID = 'joblens.job.id';
export const ATTR_JOB_NAME = 'joblens.job.name';
/** 1-based attempt number. */
export const ATTR_JOB_ATTEMPT = 'joblens.job.attempt';
export const ATTR_JOB_MAX_ATTEMPTS = 'joblens.job.max_attempts';
/**
 * Earlier deliveries of this message, as a broker counts them (RabbitMQ quorum queues' `x-delivery-count`
 * header: absent or 0 on the first delivery). For consumers whose instrumentation joblens does not own: a
 * hook copies the header here, and the analyzer numbers the attempt at least `delivery_count + 1`.
 */
export const ATTR_MESSAGE_DELIVERY_COUNT = 'joblens.message.delivery_count';
/** One of {@link JobOutcome}; set when the attempt ends. */
export const ATTR_JOB_OUTCOME = 'joblens.job.outcome';
/** Seconds between the job becoming ready (enqueued or its delay/backoff over) and this attempt starting. */
export const ATTR_JOB_QUEUE_WAIT = 'joblens.job.queue_wait';
/** Seconds until the next attempt, when the outcome is `retry_scheduled`. */
export const ATTR_JOB_RETRY_DELAY = 'joblens.job.retry_delay';
/** Seconds since the attempt's last activity (step start or end, event, checkpoint). */
export const ATTR_JOB_SILENCE = 'joblens.job.silence';
/** Seconds since the attempt started. */
export const ATTR_JOB_ELAPSED = 'joblens.job.elapsed';
/** The step the attempt is inside when a record is written (innermost open step). */
export const ATTR_JOB_CURRENT_STEP = 'joblens.job.current_step';
/** Why a sampled-out-by-default job was kept: `failed`, `retried`, `slow`, `gap`, `diagnostic`, `ratio`. */
export const ATTR_JOB_SAMPLED_REASON = 'joblens.job.sampled_reason';
/** Heartbeat monitor slug this job checks in to (optional; monitors otherwise match service + job name). */
export const ATTR_MONITOR_SLUG = 'joblens.monitor.slug';
export const ATTR_WORKER_ID = 'joblens.worker.id';
export const ATTR_DIAGNOSTIC_MODE = 'joblens.diagnostic';

export const JOB_OUTCOMES = ['completed', 'failed', 'retry_scheduled', 'exhausted', 'stalled'] as const;
export type JobOutcome = (typeof JOB_OUTCOMES)[number];

// ---- Steps (child spans of the attempt) ----------------------------------------------------------
export const ATTR_STEP_NAME = 'joblens.step.name';

// ---- Checkpoints ---------------------------------------------------------------------------------
export const ATTR_CHECKPOINT_NAME = 'joblens.checkpoint.name';
/** JSON text of the checkpoint's data, at most {@link MAX_CHECKPOINT_DATA_BYTES}. */
export const ATTR_CHECKPOINT_DATA = 'joblens.checkpoint.data';
export const MAX_CHECKPOINT_DATA_BYTES = 2048;

// ---- Links ---------------------------------------------------------------------------------------
export const ATTR_LINK_TYPE = 'joblens.link.type';
export const LINK_TYPE_PRODUCER = 'producer';
export const LINK_TYPE_PREVIOUS_ATTEMPT = 'previous_attempt';

// ---- Span events on the attempt span -------------------------------------------------------------
export const EVENT_JOB_FETCHED = 'joblens.job.fetched';
export const EVENT_JOB_STARTED = 'joblens.job.started';
export const EVENT_JOB_COMPLETED = 'joblens.job.completed';
export const EVENT_JOB_FAILED = 'joblens.job.failed';
export const EVENT_JOB_RETRY_SCHEDULED = 'joblens.job.retry_scheduled';
export const EVENT_CHECKPOINT = 'joblens.checkpoint';
export const EVENT_FAILURE_SNAPSHOT = 'joblens.failure_snapshot';
/** OpenTelemetry's standard exception event. */
export const EVENT_EXCEPTION = 'exception';

// ---- Log records (LogRecord.event_name; the analyzer also accepts an `event.name` attribute) -----
export const ATTR_EVENT_NAME = 'event.name';
/** Emitted when an attempt starts, in the attempt span's context. */
export const LOG_JOB_STARTED = 'joblens.job.started';
/** Emitted every `stillRunningIntervalMillis` while an attempt runs, in its span's context. */
export const LOG_JOB_STILL_RUNNING = 'joblens.job.still_running';
/** Emitted when an attempt ends, in its span's context (lets log-only pipelines see ends). */
export const LOG_JOB_ENDED = 'joblens.job.ended';
export const LOG_FAILURE_SNAPSHOT = 'joblens.failure_snapshot';
export const LOG_WORKER_DUMP = 'joblens.worker.dump';
export const LOG_EVENT_LOOP_BLOCKED = 'joblens.event_loop.blocked';
export const LOG_DIAGNOSTIC_MODE = 'joblens.diagnostic_mode';
/**
 * Emitted once when the worker process stops on purpose (`shutdown()`, SIGTERM or SIGINT handled by the
 * SDK, the end of `joblens run`, a script's event loop running empty): the analyzer then stops expecting its heartbeats, so a deliberate stop
 * is not reported as a worker gone silent. A process that dies without it (SIGKILL, OOM) still is.
 */
export const LOG_WORKER_STOPPED = 'joblens.worker.stopped';
/** On {@link LOG_WORKER_STOPPED}: why it stopped, one of {@link WorkerStopReason}. */
export const ATTR_WORKER_STOP_REASON = 'joblens.worker.stop_reason';
/**
 * `shutdown`: the program called `shutdown()`; `signal`: the SDK shut down on SIGTERM or SIGINT; `exit`:
 * the process ran out of work and was ending by itself (a script that never called `shutdown()`).
 */
export const WORKER_STOP_REASONS = ['shutdown', 'signal', 'exit'] as const;
export type WorkerStopReason = (typeof WORKER_STOP_REASONS)[number];

// Failure snapshot and dump attributes (on the snapshot span event and log record).
export const ATTR_SNAPSHOT_QUEUE_DEPTH = 'joblens.snapshot.queue_depth';
export const ATTR_SNAPSHOT_ACTIVE_JOBS = 'joblens.snapshot.active_jobs';
export const ATTR_SNAPSHOT_HEAP_USED = 'joblens.snapshot.heap_used';
export const ATTR_SNAPSHOT_RSS = 'joblens.snapshot.rss';
/** CPU seconds (user + system) used since the previous snapshot. */
export const ATTR_SNAPSHOT_CPU = 'joblens.snapshot.cpu';
export const ATTR_SNAPSHOT_EVENT_LOOP_DELAY = 'joblens.snapshot.event_loop_delay';
export const ATTR_SNAPSHOT_LAST_CHECKPOINT = 'joblens.snapshot.last_checkpoint';
/** Path of a dump file written on the worker's host. */
export const ATTR_DUMP_PATH = 'joblens.dump.path';
export const ATTR_DUMP_TRIGGER = 'joblens.dump.trigger';
/** Seconds the event loop had been blocked when the watchdog reported. */
export const ATTR_EVENT_LOOP_BLOCKED_DURATION = 'joblens.event_loop.blocked_duration';
/**
 * Seconds of CPU the main thread used while blocked (Linux): close to the duration when synchronous work
 * held the loop, close to 0 when a synchronous call waited.
 */
export const ATTR_EVENT_LOOP_BLOCKED_CPU_TIME = 'joblens.event_loop.blocked_cpu_time';
/**
 * Seconds the main thread waited for a CPU while blocked (Linux): time the machine, not the worker, took.
 * The watchdog does not count it toward its threshold.
 */
export const ATTR_EVENT_LOOP_BLOCKED_CPU_WAIT = 'joblens.event_loop.blocked_cpu_wait';
/**
 * String array: the main thread's JavaScript stack while blocked, innermost frame first, at most
 * {@link MAX_BLOCKED_STACK_FRAMES} frames, each `function (location)` with a 1-based `path:line:column`
 * (`layoutPage (src/render.js:42:7)`). Paths are relative to the app's root; code from a dependency reads
 * `node_modules/<package>/…` (from the last `node_modules` segment), Node's own `node:…`. Absent when the
 * watchdog could not take the stack (see docs/semantic-conventions.md).
 */
export const ATTR_EVENT_LOOP_BLOCKED_STACK = 'joblens.event_loop.blocked_stack';
/** At most this many frames in {@link ATTR_EVENT_LOOP_BLOCKED_STACK}, the innermost ones. */
export const MAX_BLOCKED_STACK_FRAMES = 20;

// ---- Metrics -------------------------------------------------------------------------------------
// Names are OpenTelemetry names; Prometheus exporters add unit and `_total` suffixes.
export const METRIC_PROCESS_DURATION = 'messaging.process.duration'; // histogram, s
export const METRIC_CONSUMED_MESSAGES = 'messaging.client.consumed.messages'; // counter, {message}
/** Counter, {heartbeat}: +1 every heartbeat interval while the worker process lives. */
export const METRIC_WORKER_HEARTBEATS = 'joblens.worker.heartbeats';
/** Gauge, s: unix time of the worker's last completed job, per queue. */
export const METRIC_LAST_SUCCESS_TIME = 'joblens.worker.last_success.time';
/** Counter, {job}: attempts ended, by `joblens.job.outcome`. */
export const METRIC_JOB_OUTCOMES = 'joblens.job.outcomes';
/** Gauge, {job}: attempts running now. */
export const METRIC_ACTIVE_JOBS = 'joblens.jobs.active';
/** Gauge, s: age of the oldest running attempt (0 when none). */
export const METRIC_OLDEST_ACTIVE_AGE = 'joblens.jobs.oldest_active.age';
/** Gauge, s: silence of the most silent running attempt (0 when none). */
export const METRIC_MAX_SILENCE = 'joblens.jobs.max_silence';
/** Gauge, {job}: jobs in the queue by `joblens.queue.state`, from a queue adapter. */
export const METRIC_QUEUE_DEPTH = 'joblens.queue.depth';
/** Gauge, s: age of the oldest ready job (waiting, not delayed and not in backoff). */
export const METRIC_QUEUE_OLDEST_READY_AGE = 'joblens.queue.oldest_ready.age';
/** Counter, {block}: event-loop blocks the watchdog reported. */
export const METRIC_EVENT_LOOP_BLOCKS = 'joblens.event_loop.blocks';
// Node runtime metrics as OpenTelemetry's runtime conventions name them (Development).
export const METRIC_EVENT_LOOP_DELAY_P99 = 'nodejs.eventloop.delay.p99'; // gauge, s
export const METRIC_EVENT_LOOP_DELAY_MAX = 'nodejs.eventloop.delay.max'; // gauge, s
export const METRIC_EVENT_LOOP_UTILIZATION = 'nodejs.eventloop.utilization'; // gauge, 1

export const ATTR_QUEUE_STATE = 'joblens.queue.state';
export const QUEUE_STATES = [
  'waiting',
  'active',
  'delayed',
  'prioritized',
  'waiting-children',
  'paused',
  'failed',
  'completed',
] as const;
export type QueueState = (typeof QUEUE_STATES)[number];

// ---- Finding types (the analyzer's output vocabulary) --------------------------------------------
export const FINDING_TYPES = [
  'mystery_gap',
  'silent_job',
  'runaway_retries',
  'retry_storm',
  'host_imbalance',
  'silent_worker',
  'queue_starvation',
  'event_loop_blocked',
  'stalled_job',
  'missed_heartbeat',
  'runaway_job',
] as const;
export type FindingType = (typeof FINDING_TYPES)[number];

// ---- Appended by the SDK extras (watchdog) --------------------------------------------------------
/**
 * Emitted by the main thread once its event loop turns again after a block the watchdog reported;
 * `joblens.event_loop.blocked_duration` is then the block's total length. The watchdog thread's
 * {@link LOG_EVENT_LOOP_BLOCKED} record is the one sent while the block lasts.
 */
export const LOG_EVENT_LOOP_RECOVERED = 'joblens.event_loop.recovered';

// ---- Diagnostic mode: per-step events on the attempt span (SDK core) -----------------------------
/** Diagnostic mode only: a step began (attribute `joblens.step.name`). */
export const EVENT_STEP_STARTED = 'joblens.step.started';
/** Diagnostic mode only: a step ended (`joblens.step.name`, `joblens.step.duration`, `error.type` if it threw). */
export const EVENT_STEP_ENDED = 'joblens.step.ended';
/** Seconds a step took, on {@link EVENT_STEP_ENDED}. */
export const ATTR_STEP_DURATION = 'joblens.step.duration';

// ---- `joblens run` (a command run under a heartbeat monitor) -------------------------------------
/** OpenTelemetry's `process.exit.code` (Development): the wrapped command's exit code, 128 + N for signal N. */
export const ATTR_PROCESS_EXIT_CODE = 'process.exit.code';
/** OpenTelemetry's `process.command_line` (Development), on the attempt span `joblens run` records. */
export const ATTR_PROCESS_COMMAND_LINE = 'process.command_line';
/** The last part (at most {@link MAX_RUN_OUTPUT_TAIL_BYTES}) of the wrapped command's stdout and stderr, interleaved as written. */
export const ATTR_RUN_OUTPUT_TAIL = 'joblens.run.output_tail';
export const MAX_RUN_OUTPUT_TAIL_BYTES = 10 * 1024;

// ---- What a silent attempt waits on (on `still running` records past the silence threshold) ----
/**
 * Outbound calls the attempt started in its own async context that have not finished (HTTP through
 * `node:http`/`https`, undici and `fetch`), every one of them, including those past the listed bound.
 */
export const ATTR_WAITING_COUNT = 'joblens.waiting.count';
/**
 * The longest-open of those calls, longest first, at most {@link MAX_WAITING_OPERATIONS}, each as
 * `METHOD scheme://host:port/path` (the port always written; no credentials, query string or fragment).
 */
export const ATTR_WAITING_OPERATIONS = 'joblens.waiting.operations';
/** Seconds each of {@link ATTR_WAITING_OPERATIONS} has been open, in the same order. */
export const ATTR_WAITING_DURATIONS = 'joblens.waiting.durations';
export const MAX_WAITING_OPERATIONS = 10;
/** Active timers in the worker process that keep it alive (`setTimeout`/`setInterval`; unref'd ones, such as the SDK's own, are not counted). */
export const ATTR_PROCESS_TIMERS = 'joblens.process.timers';
/** Connected sockets in the worker process. */
export const ATTR_PROCESS_SOCKETS = 'joblens.process.sockets';
/** Remote `host:port`s the process has sockets to, most sockets first, at most {@link MAX_SOCKET_PEERS}. */
export const ATTR_PROCESS_SOCKET_PEERS = 'joblens.process.socket_peers';
/** Sockets to each of {@link ATTR_PROCESS_SOCKET_PEERS}, in the same order. */
export const ATTR_PROCESS_SOCKET_PEER_COUNTS = 'joblens.process.socket_peer_counts';
export const MAX_SOCKET_PEERS = 10;

// ---- What a queue consumer is doing (from a queue adapter, e.g. `observeWorker` for BullMQ) -----
/**
 * Gauge, {consumer}: consumers (BullMQ `Worker`s) of the queue in this process, by
 * {@link ATTR_CONSUMER_STATE} and {@link ATTR_CONSUMER_CONNECTION}. Only the current combination is reported.
 */
export const METRIC_CONSUMERS = 'joblens.consumers';
/** Gauge, s: unix time of the consumer's last fetch (it took a job, or found the queue empty), per queue. */
export const METRIC_CONSUMER_LAST_FETCH_TIME = 'joblens.consumer.last_fetch.time';
/** One of {@link CONSUMER_STATES}. */
export const ATTR_CONSUMER_STATE = 'joblens.consumer.state';
/** `running`: fetching jobs; `paused`: paused by the program; `closing`: `close()` called, finishing its jobs; `closed`: not running. */
export const CONSUMER_STATES = ['running', 'paused', 'closing', 'closed'] as const;
export type ConsumerState = (typeof CONSUMER_STATES)[number];
/**
 * The broker connection's status as its client names it (for BullMQ, ioredis: `ready`, `connecting`,
 * `connect`, `reconnecting`, `close`, `end`, `wait`); `unknown` when the adapter cannot tell.
 */
export const ATTR_CONSUMER_CONNECTION = 'joblens.consumer.connection';
