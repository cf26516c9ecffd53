import {
  ATTR_JOB_ATTEMPT,
  ATTR_JOB_CURRENT_STEP,
  ATTR_JOB_ID,
  ATTR_SNAPSHOT_ACTIVE_JOBS,
  ATTR_SNAPSHOT_CPU,
  ATTR_SNAPSHOT_EVENT_LOOP_DELAY,
  ATTR_SNAPSHOT_HEAP_USED,
  ATTR_SNAPSHOT_LAST_CHECKPOINT,
  ATTR_SNAPSHOT_QUEUE_DEPTH,
  ATTR_SNAPSHOT_RSS,
} from '@joblens/semconv';
import type { Attributes } from '@opentelemetry/api';
import { type ActiveAttempt, currentStepOf } from '../active-attempts.js';
import type { QueueStats } from '../interfaces.js';

export type SnapshotInputs = {
  jobId: string;
  attempt: number;
  /** The running attempt, if still registered. */
  active: ActiveAttempt | undefined;
  /** The step the error came out of; else the innermost open step. */
  failedStep: string | undefined;
  /** The last sample of the attempt's queue, if the queue is watched. */
  queueStats: QueueStats | undefined;
  activeJobs: number;
  cpuSecondsSinceLast: number;
  eventLoopDelaySeconds: number;
  memory: NodeJS.MemoryUsage;
};

/** Ready jobs: the ones that could run now (waiting or prioritized). */
function readyJobs(stats: QueueStats): number {
  return (stats.counts.waiting ?? 0) + (stats.counts.prioritized ?? 0);
}

/** The failure snapshot's attributes: where the attempt failed and what the worker looked like. */
export function failureSnapshotAttributes(inputs: SnapshotInputs): Attributes {
  const attributes: Attributes = {
    [ATTR_JOB_ID]: inputs.jobId,
    [ATTR_JOB_ATTEMPT]: inputs.attempt,
    [ATTR_SNAPSHOT_ACTIVE_JOBS]: inputs.activeJobs,
    [ATTR_SNAPSHOT_HEAP_USED]: inputs.memory.heapUsed,
    [ATTR_SNAPSHOT_RSS]: inputs.memory.rss,
    [ATTR_SNAPSHOT_CPU]: inputs.cpuSecondsSinceLast,
    [ATTR_SNAPSHOT_EVENT_LOOP_DELAY]: inputs.eventLoopDelaySeconds,
  };
  const step = inputs.failedStep ?? (inputs.active ? currentStepOf(inputs.active) : undefined);
  if (step !== undefined) attributes[ATTR_JOB_CURRENT_STEP] = step;
  if (inputs.queueStats) attributes[ATTR_SNAPSHOT_QUEUE_DEPTH] = readyJobs(inputs.queueStats);
  const checkpoint = inputs.active?.lastCheckpoint;
  if (checkpoint) attributes[ATTR_SNAPSHOT_LAST_CHECKPOINT] = checkpoint.name;
  return attributes;
}
