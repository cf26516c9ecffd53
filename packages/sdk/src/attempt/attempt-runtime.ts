import type { Attributes, Tracer } from '@opentelemetry/api';
import type { Logger } from '@opentelemetry/api-logs';
import type { ActiveAttempt, ActiveAttempts } from '../active-attempts.js';
import type { WorkerMetrics } from '../metrics/worker-metrics.js';
import type { ResolvedOptions } from '../options.js';
import type { AttemptSpanStarter } from '../otel/attempt-span-starter.js';
import type { ContextManagerProbe } from '../otel/context-manager-probe.js';
import type { AttemptHandle } from './attempt-handle.js';
import type { NormalizedDescriptor } from './normalize-descriptor.js';
import type { StillRunningSchedule } from './still-running-schedule.js';

/** What one SDK instance lends to each attempt it runs. */
export type AttemptRuntime = {
  readonly options: ResolvedOptions;
  readonly tracer: Tracer;
  readonly attemptSpans: AttemptSpanStarter;
  readonly contextManager: ContextManagerProbe;
  readonly logger: Logger;
  readonly activeAttempts: ActiveAttempts;
  readonly metrics: WorkerMetrics;
  readonly stillRunning: StillRunningSchedule<AttemptHandle>;
  isDiagnostic(): boolean;
  isShutDown(): boolean;
  onError(error: unknown): void;
  /** Attributes of a failure snapshot for the attempt. */
  failureSnapshot(
    descriptor: NormalizedDescriptor,
    active: ActiveAttempt | undefined,
    failedStep: string | undefined,
  ): Attributes;
};
