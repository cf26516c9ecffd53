import type { EventLoopBlockedOptions } from './event-loop-blocked.js';
import type { HostImbalanceOptions } from './host-imbalance.js';
import type { MysteryGapOptions } from './mystery-gap.js';
import type { QueueStarvationOptions } from './queue-starvation.js';
import type { RetryStormOptions } from './retry-storm.js';
import type { RunawayRetriesOptions } from './runaway-retries.js';
import type { SilentJobOptions } from './silent-job.js';
import type { SilentWorkerOptions } from './silent-worker.js';
import type { StalledJobOptions } from './stalled-job.js';

/** Every detector's options by finding type; each option's default is documented where it is declared. */
export type DetectorOptions = {
  mystery_gap: MysteryGapOptions;
  silent_job: SilentJobOptions;
  runaway_retries: RunawayRetriesOptions;
  retry_storm: RetryStormOptions;
  host_imbalance: HostImbalanceOptions;
  silent_worker: SilentWorkerOptions;
  queue_starvation: QueueStarvationOptions;
  event_loop_blocked: EventLoopBlockedOptions;
  stalled_job: StalledJobOptions;
};
