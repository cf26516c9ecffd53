// The public API of `@joblens/sdk`, as its README documents it: start the SDK, run attempts, mark steps
// and checkpoints, instrument any queue or script, and see the client calls a hung job waits on.
// Everything else in `src/` is the SDK's own; tests import it from its file. The BullMQ adapter is
// `@joblens/sdk/bullmq`; where dumps land is `@joblens/sdk/dump-location` (for `joblens dump`).
export type { HandlerBase, ScheduledJob } from './adapters/generic/index.js';
export { injectJobContext, instrumentHandler, runScheduledJob } from './adapters/generic/index.js';
export { checkpoint, currentAttempt, step } from './attempt/attempt-storage.js';
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
export { startJoblens } from './start-joblens.js';
export { WaitingSpanProcessor } from './waiting/client-span-processor.js';
