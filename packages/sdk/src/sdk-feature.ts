import type { Meter } from '@opentelemetry/api';
import type { Logger } from '@opentelemetry/api-logs';
import type { ActiveAttemptsView } from './active-attempts.js';
import type { QueueStats } from './interfaces.js';
import type { ResolvedOptions } from './options.js';

/** What a feature gets from the running SDK instance. Everything here belongs to that one instance. */
export type FeatureContext = {
  readonly options: ResolvedOptions;
  readonly activeAttempts: ActiveAttemptsView;
  /** The instance's own logger (not the global one), scope `@joblens/sdk`. */
  readonly logger: Logger;
  /** The instance's own meter, scope `@joblens/sdk`. */
  readonly meter: Meter;
  /** Reports an instrumentation error; never throws. */
  onError(error: unknown): void;
  isDiagnostic(): boolean;
  setDiagnosticMode(on: boolean): void;
  /** Writes a dump; resolves with its path, or undefined when dumps are unavailable. Never rejects. */
  dump(trigger: string): Promise<string | undefined>;
  /** The last sample of each watched queue, by queue name. */
  lastQueueSamples(): ReadonlyMap<string, QueueStats>;
  /** Event-loop delay p99 in seconds since the last metric export (0 before the first sample). */
  eventLoopDelaySeconds(): number;
};

/** A running feature; `stop` is called once when the SDK shuts down. */
export type FeatureHandle = { stop(): Promise<void> | void };

/**
 * An optional part of the SDK (watchdog, signal dumps, diagnostic admin endpoint) that
 * `startJoblens` starts after OpenTelemetry is up and stops before it shuts down. `start` may decide
 * from `ctx.options` to do nothing. A throwing `start` or `stop` goes to `onError`.
 */
export type SdkFeature = {
  readonly name: string;
  start(ctx: FeatureContext): FeatureHandle;
};
