/**
 * What the demo's parent and its worker processes say to each other over the fork IPC channel.
 * Telemetry never goes this way: workers send it as OTLP straight to the analyzer. IPC carries only
 * control (faults, shutdown), the local queue's jobs when Redis is absent, and counts for the
 * progress line.
 */

/** How jobs reach the workers. */
export type TransportConfig =
  | { kind: 'bullmq'; redisUrl: string; prefix: string }
  /** The parent's in-process queue, handed out over IPC; workers run it through the SDK's generic adapter. */
  | { kind: 'local' };

export interface ConsumerConfig {
  queue: string;
  concurrency: number;
  /** Pause after each job before taking the next, outside the attempt (a throttled host). Default 0. */
  throttleMillis?: number;
  /** BullMQ's `lockDuration` (default BullMQ's, 30 s); the in-process queue has no locks. */
  lockDurationMillis?: number;
  /** BullMQ's `stalledInterval` (default BullMQ's, 30 s). */
  stalledIntervalMillis?: number;
}

export interface CronConfig {
  jobName: string;
  monitorSlug: string;
  everyMillis: number;
}

/** Everything a worker process needs, passed as JSON in JOBLENS_DEMO_WORKER. */
export interface WorkerConfig {
  /** Poses as this `host.name`. */
  host: string;
  instanceId: string;
  serviceName: string;
  otlpEndpoint: string;
  /** The parent's fake payment provider (the retry storm's upstream). */
  upstreamUrl: string;
  transport: TransportConfig;
  consumers: ConsumerConfig[];
  cron?: CronConfig;
  /** The SDK's Prometheus endpoint (`prometheusPort`) on 127.0.0.1; none when absent. */
  prometheusPort?: number;
  sdk: {
    stillRunningIntervalMillis: number;
    metricExportIntervalMillis: number;
    blockedThresholdMillis: number;
  };
}

/** A job of the parent's local queue, as a worker receives it. */
export interface LocalJob {
  id: string;
  queue: string;
  name: string;
  data: Record<string, unknown>;
  /** 1-based. */
  attempt: number;
  maxAttempts: number;
  backoffMillis: number;
  readyAtMs: number;
  fetchedAtMs: number;
}

export type WorkerCommand = 'stop-consuming' | 'stop-cron';

export type ParentMessage =
  /** Every worker has loaded: start the SDK and the consumers now. */
  | { type: 'start' }
  | { type: 'job'; job: LocalJob }
  | { type: 'queue-stats'; queue: string; counts: Record<string, number>; oldestReadyAgeSeconds: number }
  | { type: 'command'; command: WorkerCommand }
  | { type: 'shutdown' };

export type WorkerMessage =
  /** Code loaded and warmed up; waiting for `start`. */
  | { type: 'loaded' }
  | { type: 'ready'; instanceId: string }
  | { type: 'pull'; queue: string }
  | { type: 'result'; jobId: string; queue: string; ok: boolean; error?: string }
  | { type: 'processed'; count: number };

/** Environment variable carrying the worker's JSON config. */
export const WORKER_CONFIG_ENV = 'JOBLENS_DEMO_WORKER';
