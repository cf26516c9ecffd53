import {
  ATTR_WORKER_ID,
  ATTR_WORKER_STOP_REASON,
  LOG_WORKER_STOPPED,
  type WorkerStopReason,
} from '@joblens/semconv';
import type { Logger } from '@opentelemetry/api-logs';
import { emitSpanLog } from './attempt/job-log-records.js';

/** The `worker stopped` record: this process stops on purpose, so its silence from now on is not a death. */
export function emitWorkerStopped(
  logger: Logger,
  workerId: string,
  reason: WorkerStopReason,
  onError: (error: unknown) => void,
): void {
  try {
    emitSpanLog(logger, undefined, LOG_WORKER_STOPPED, 'worker stopped', {
      [ATTR_WORKER_ID]: workerId,
      [ATTR_WORKER_STOP_REASON]: reason,
    });
  } catch (error) {
    onError(new Error('announcing the stop', { cause: error }));
  }
}
