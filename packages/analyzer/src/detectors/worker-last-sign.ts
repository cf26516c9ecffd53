import type { WorkerView } from '../model/analyzer-view.js';

/** Newest sign of life: a heartbeat point or any other record from the worker. */
export function workerLastSign(worker: WorkerView): number {
  return Math.max(worker.lastHeartbeatMs ?? Number.NEGATIVE_INFINITY, worker.lastSeenMs);
}
