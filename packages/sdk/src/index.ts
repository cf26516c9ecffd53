export type { ActiveAttempt, ActiveAttemptsView, CheckpointRecord } from './active-attempts.js';
export type { HandlerBase, ScheduledJob } from './adapters/generic/index.js';
export { injectJobContext, instrumentHandler, runScheduledJob } from './adapters/generic/index.js';
export { checkpoint, currentAttempt, step } from './attempt/attempt-storage.js';
export { defaultDumpDirectory, dumpFilePrefix } from './dump/write-dump.js';
export type {
  AttemptDescriptor,
  ConsumerSample,
  ConsumerSource,
  JobContext,
  Joblens,
  JoblensOptions,
  QueueStats,
  QueueStatsSource,
} from './interfaces.js';
export type { ResolvedOptions } from './options.js';
export { resolveOptions } from './options.js';
export type { FeatureContext, FeatureHandle, SdkFeature } from './sdk-feature.js';
export { startJoblens } from './start-joblens.js';
export { WaitingSpanProcessor } from './waiting/client-span-processor.js';
