import type { ConsumerState, JobOutcome, QueueState } from '@joblens/semconv';
import type { Span } from '@opentelemetry/api';
import type { LogRecordExporter } from '@opentelemetry/sdk-logs';
import type { MetricReader } from '@opentelemetry/sdk-metrics';
import type { SpanExporter } from '@opentelemetry/sdk-trace-base';

/**
 * The SDK's contract with its users and its adapters. Every option is optional; defaults are stated
 * here and applied in one place (`options.ts`), which rejects bad values naming the field.
 */
export interface JoblensOptions {
  /** `service.name`. Default: OTEL_SERVICE_NAME, else the package name of the entry script, else `unknown_service:node`. */
  serviceName?: string;
  /** `service.instance.id`. Default: OTEL_RESOURCE_ATTRIBUTES' value, else a random UUID fixed for the process. */
  serviceInstanceId?: string;
  /** Extra resource attributes. */
  resourceAttributes?: Record<string, string | number | boolean>;
  /**
   * Base OTLP/HTTP endpoint (`/v1/traces` etc. are appended). When set, it is used for every signal.
   * Default: the per-signal OTEL_EXPORTER_OTLP_{TRACES,METRICS,LOGS}_ENDPOINT (used as is), else
   * OTEL_EXPORTER_OTLP_ENDPOINT, else http://localhost:4318.
   */
  endpoint?: string;
  /** Default: OTEL_EXPORTER_OTLP_{TRACES,METRICS,LOGS}_PROTOCOL, else OTEL_EXPORTER_OTLP_PROTOCOL, else `http/protobuf`. */
  protocol?: 'http/protobuf' | 'http/json';
  /** Extra export headers (for example an Authorization bearer token), added to OTEL_EXPORTER_OTLP_HEADERS and the per-signal variables. Default none. */
  headers?: Record<string, string>;
  /** Time one export may take before it is abandoned, so a slow collector never holds the worker. Default 5000. */
  exportTimeoutMillis?: number;
  /** How often running attempts emit a `still running` log record. Default 10000. */
  stillRunningIntervalMillis?: number;
  /**
   * How long an attempt runs before its `job started` record is written (stamped with the real start
   * time; `job ended` then follows it). Attempts that end sooner are described by their span alone,
   * which halves the telemetry of short jobs; a job hung longer than this is visible while it hangs.
   * 0 writes both records for every attempt, as does diagnostic mode and tail sampling
   * (`sampling.keepOneInHealthy` > 1, whose dropped attempts are then known from their records).
   * Default 1000: shorter than any useful hang alert, longer than most jobs of a busy queue.
   */
  startedRecordDelayMillis?: number;
  /** Metric export (and heartbeat) interval. Default: OTEL_METRIC_EXPORT_INTERVAL, else 10000. */
  metricExportIntervalMillis?: number;
  /**
   * On SIGTERM and SIGINT: when nothing else listens for the signal, flush, shut down and exit with
   * 128 + the signal number, as Node would have; when the worker has its own handler, only flush (the
   * handler decides when to exit and should call `shutdown()`). Default true.
   */
  flushOnSignals?: boolean;
  /** Signal that writes a dump; `false` turns dumps by signal off. Default `SIGUSR2` (SIGUSR1 is Node's inspector). */
  dumpSignal?: NodeJS.Signals | false;
  /** Where dump files go. Default: os.tmpdir()/joblens-dumps. */
  dumpDirectory?: string;
  /** Event-loop watchdog. */
  watchdog?: {
    /** Default true. */
    enabled?: boolean;
    /** Report when the main thread has not turned its loop for this long. Default 1000. */
    blockedThresholdMillis?: number;
    /**
     * Send the blocked main thread's JavaScript stack with the report, taken through the inspector
     * protocol (the thread is paused for the moment it takes). Default true.
     */
    captureStack?: boolean;
    /**
     * How long to wait for the blocked thread to pause before the report goes without a stack. A thread
     * held in a synchronous system call never pauses, so its report waits this long; on a host short of
     * CPU a thread that would pause may take longer than usual to be scheduled. Default 1000.
     */
    stackTimeoutMillis?: number;
  };
  /** Diagnostic mode: events per step, no sampling. Off unless switched on. */
  diagnostic?: {
    /** Start in diagnostic mode. Default: JOBLENS_DIAGNOSTIC=1 in the environment. */
    enabled?: boolean;
    /** Signal that toggles diagnostic mode; `false` for none. Default `false`. */
    toggleSignal?: NodeJS.Signals | false;
    /** Port of the admin endpoint on 127.0.0.1 (`POST /diagnostic`, `POST /dump`); off when unset. */
    adminPort?: number;
    /** Bearer token the admin endpoint requires; required when adminPort is set. */
    adminToken?: string;
  };
  /** Tail sampling of attempts, decided when the attempt ends. */
  sampling?: {
    /** Keep 1 in N of the healthy attempts (failed, retried, slow and gapped ones are always kept). Default 1 (keep all). */
    keepOneInHealthy?: number;
    /** An attempt at least this long is slow and kept. Default 10000. */
    slowThresholdMillis?: number;
    /** An attempt with a silent interval at least this long is gapped and kept. Default 5000. */
    gapThresholdMillis?: number;
    /** Spans buffered per attempt while it runs; further spans of that attempt are counted and dropped. Default 1000. */
    maxSpansPerAttempt?: number;
  };
  /** Bound on spans buffered for export; beyond it spans are dropped and counted, never blocking the job. Default 2048. */
  maxQueueSize?: number;
  /** Receives errors raised inside instrumentation; never rethrown into the worker. Default: one warning per error kind on stderr. */
  onError?: (error: Error) => void;
  /** Optional Prometheus scrape endpoint for the worker's own metrics (for setups without a Collector). Off when unset. */
  prometheusPort?: number;
  /** Replaces the OTLP span exporter (tests use OpenTelemetry's InMemorySpanExporter). */
  spanExporter?: SpanExporter;
  /** Replaces the OTLP log record exporter (tests use InMemoryLogRecordExporter). */
  logRecordExporter?: LogRecordExporter;
  /** Replaces the periodic OTLP metric reader (tests use a PeriodicExportingMetricReader over InMemoryMetricExporter, or a plain MetricReader). */
  metricReader?: MetricReader;
}

/** What an adapter (or a user) knows about one attempt when it starts. */
export interface AttemptDescriptor {
  queue: string;
  jobName: string;
  jobId: string;
  /** 1-based. Default 1. */
  attempt?: number;
  /** Default: unknown (a failure is then `failed`, never `exhausted`). */
  maxAttempts?: number;
  /** `messaging.system`. Default `joblens`. */
  system?: string;
  /** Unix ms when the job became ready to run (enqueued, or its delay or backoff ended). Gives `joblens.job.queue_wait`. */
  readyAtMs?: number;
  /** Unix ms when the worker fetched the job, if earlier than the attempt's start. */
  fetchedAtMs?: number;
  /** W3C trace context of the producer (`traceparent`, `tracestate`): the attempt joins that trace and links to it. */
  producerCarrier?: Record<string, string>;
  /** The previous attempt's span, linked from this one. */
  previousAttempt?: { traceId: string; spanId: string };
  /** Heartbeat monitor this job checks in to. */
  monitorSlug?: string;
  /** Extra span attributes (low-cardinality keys; values may be anything). */
  attributes?: Record<string, string | number | boolean>;
  /**
   * Decides the outcome of a failed attempt (retry or not, and after how long). Default: `retry_scheduled`
   * when attempt < maxAttempts, `exhausted` when attempt >= maxAttempts, `failed` when maxAttempts is unknown.
   */
  classifyFailure?: (error: unknown) => {
    outcome: Exclude<JobOutcome, 'completed'>;
    retryDelayMillis?: number;
  };
}

/** Handed to the job's function: the running attempt. */
export interface JobContext {
  readonly span: Span;
  readonly traceId: string;
  readonly spanId: string;
  /** Runs `fn` in a child span named `name`; records errors and rethrows them untouched. */
  step<T>(name: string, fn: () => Promise<T> | T): Promise<T>;
  /** Marks progress inside a long task; `data` is kept as JSON, truncated to a bounded size. */
  checkpoint(name: string, data?: unknown): void;
}

/** Counts and ages of one queue, sampled by the SDK at each metric export. */
export interface QueueStats {
  counts: Partial<Record<QueueState, number>>;
  /** Age in seconds of the oldest ready job (waiting: not delayed, not in backoff); 0 when none. */
  oldestReadyAgeSeconds: number;
}

/** Pluggable: anything that can report a queue's depth. The BullMQ adapter ships one. */
export interface QueueStatsSource {
  readonly queue: string;
  readonly system: string;
  sample(): Promise<QueueStats>;
}

/** What a queue consumer is doing, read synchronously at each metric export. */
export interface ConsumerSample {
  state: ConsumerState;
  /** The broker connection's status in its client's words (ioredis: `ready`, `reconnecting`, `end`, ...). */
  connection?: string;
  /** Unix ms of its last fetch: it took a job, or found the queue empty. */
  lastFetchAtMs?: number;
}

/** Pluggable: anything that can say what a consumer is doing. The BullMQ adapter's `observeWorker` makes one. */
export interface ConsumerSource {
  readonly queue: string;
  readonly system: string;
  sample(): ConsumerSample;
}

/** The handle `startJoblens()` returns. */
export interface Joblens {
  readonly serviceInstanceId: string;
  /** Runs one attempt under instrumentation; `fn`'s result or error passes through untouched. */
  runAttempt<T>(descriptor: AttemptDescriptor, fn: (ctx: JobContext) => Promise<T> | T): Promise<T>;
  /** Reports a queue's depth with each metric export until the returned function is called. */
  watchQueue(source: QueueStatsSource): () => void;
  /** Reports a consumer's state, connection and last fetch with each metric export until the returned function is called. */
  watchConsumer(source: ConsumerSource): () => void;
  /** Writes a dump (file and log record); resolves with the file path. Never throws. */
  dump(trigger?: string): Promise<string | undefined>;
  setDiagnosticMode(enabled: boolean): void;
  readonly diagnosticMode: boolean;
  /** Hands an adapter's instrumentation error to `onError`; never throws. */
  reportError(error: unknown): void;
  /** Exports what is buffered now. */
  forceFlush(): Promise<void>;
  /** Stops timers, the watchdog and the admin endpoint, flushes and shuts OpenTelemetry down. Idempotent. */
  shutdown(): Promise<void>;
}
