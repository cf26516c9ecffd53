export { injectJobContext } from './inject-job-context.js';
export { type HandlerBase, instrumentHandler } from './instrument-handler.js';
export { runScheduledJob, type ScheduledJob } from './run-scheduled-job.js';
