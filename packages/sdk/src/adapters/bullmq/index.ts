// The public API of `@joblens/sdk/bullmq`, as the SDK's README documents it. How the adapter classifies
// failures, remembers previous attempts and samples a worker stays in its files.
export { createBullmqQueueStatsSource } from './bullmq-queue-stats-source.js';
export { JobStalledError, observeWorker } from './observe-worker.js';
export { addWithContext, injectJobContext } from './trace-context.js';
export type { InstrumentedProcessor, WithJoblensOptions } from './with-joblens.js';
export { withJoblens } from './with-joblens.js';
