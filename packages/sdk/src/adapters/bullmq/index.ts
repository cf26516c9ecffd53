export { createBullmqConsumerSource } from './bullmq-consumer-source.js';
export { createBullmqQueueStatsSource } from './bullmq-queue-stats-source.js';
export { type BullmqFailureClass, classifyBullmqFailure } from './classify-bullmq-failure.js';
export { JobStalledError, observeWorker } from './observe-worker.js';
export { type PreviousAttempt, PreviousAttempts } from './previous-attempts.js';
export { bullmqRetryDelayMillis } from './retry-delay.js';
export { addWithContext, injectJobContext, producerCarrierOf } from './trace-context.js';
export { type InstrumentedProcessor, type WithJoblensOptions, withJoblens } from './with-joblens.js';
