import type { Attributes } from '@joblens/otlp-receiver';
import type { JobOutcome } from '@joblens/semconv';

/**
 * One attempt of one job, read from an attempt span of any dialect (joblens SDK, OpenTelemetry
 * messaging conventions old and new, BullMQ's own telemetry) and normalized. `normalize.ts` makes these.
 */
export interface AttemptFacts {
  traceId: string;
  spanId: string;
  service: string;
  /** `service.instance.id`; falls back to host + pid, or the service name, when absent. */
  worker: string;
  host: string;
  /** `messaging.system`. */
  system: string;
  queue: string;
  jobName: string;
  jobId: string;
  /** 1-based. */
  attempt: number;
  /**
   * True when no attribute gave the attempt (OpenTelemetry's amqplib, kafkajs and Sidekiq instrumentations
   * state none): the model numbers it by the deliveries of the same service, queue and job id it saw, or
   * by `joblens.message.delivery_count` + 1 when that is higher.
   */
  attemptFromDeliveries: boolean;
  maxAttempts?: number;
  /** Derived from status and attributes when the span does not carry `joblens.job.outcome`. */
  outcome: JobOutcome;
  errorType?: string;
  errorMessage?: string;
  startMs: number;
  endMs: number;
  queueWaitSeconds?: number;
  monitorSlug?: string;
  attributes: Attributes;
}

export type JobLogKind =
  | 'started'
  | 'still_running'
  | 'ended'
  | 'failure_snapshot'
  | 'worker_dump'
  | 'event_loop_blocked'
  | 'event_loop_recovered'
  | 'diagnostic_mode'
  | 'worker_stopped';

/** A joblens SDK log record, normalized. */
export interface JobLogFacts {
  kind: JobLogKind;
  timeMs: number;
  traceId: string;
  spanId: string;
  service: string;
  worker: string;
  host: string;
  queue?: string;
  jobName?: string;
  jobId?: string;
  attempt?: number;
  currentStep?: string;
  silenceSeconds?: number;
  elapsedSeconds?: number;
  monitorSlug?: string;
  attributes: Attributes;
}
