import type { DetectorOptions } from './detector-options.js';
import {
  type DetectorOverrideInput,
  DetectorRegistry,
  registerDetector,
  resolveOptions,
} from './detector-registry.js';
import { eventLoopBlockedDetector } from './event-loop-blocked.js';
import { hostImbalanceDetector } from './host-imbalance.js';
import { mysteryGapDetector } from './mystery-gap.js';
import { queueStarvationDetector } from './queue-starvation.js';
import { retryStormDetector } from './retry-storm.js';
import { runawayRetriesDetector } from './runaway-retries.js';
import { silentJobDetector } from './silent-job.js';
import { silentWorkerDetector } from './silent-worker.js';
import { stalledJobDetector } from './stalled-job.js';

/** The detectors the analyzer runs on telemetry, in the order their findings are listed. */
export const builtInDetectors = new DetectorRegistry([
  registerDetector(mysteryGapDetector),
  registerDetector(silentJobDetector),
  registerDetector(runawayRetriesDetector),
  registerDetector(retryStormDetector),
  registerDetector(hostImbalanceDetector),
  registerDetector(silentWorkerDetector),
  registerDetector(queueStarvationDetector),
  registerDetector(eventLoopBlockedDetector),
  registerDetector(stalledJobDetector),
]);

/**
 * Every built-in detector's options with `overrides` applied, typed per detector: for the parts of the
 * analyzer that size themselves by a threshold (the model keeps attributes of attempts a finding can be about).
 */
export function builtInDetectorOptions(overrides: DetectorOverrideInput = {}): DetectorOptions {
  return {
    mystery_gap: resolveOptions(mysteryGapDetector, overrides.mystery_gap),
    silent_job: resolveOptions(silentJobDetector, overrides.silent_job),
    runaway_retries: resolveOptions(runawayRetriesDetector, overrides.runaway_retries),
    retry_storm: resolveOptions(retryStormDetector, overrides.retry_storm),
    host_imbalance: resolveOptions(hostImbalanceDetector, overrides.host_imbalance),
    silent_worker: resolveOptions(silentWorkerDetector, overrides.silent_worker),
    queue_starvation: resolveOptions(queueStarvationDetector, overrides.queue_starvation),
    event_loop_blocked: resolveOptions(eventLoopBlockedDetector, overrides.event_loop_blocked),
    stalled_job: resolveOptions(stalledJobDetector, overrides.stalled_job),
  };
}

/** Every built-in detector's defaults by finding type, `reopenWithinSeconds` included: what configuration is checked against. */
export const DETECTOR_DEFAULTS: Readonly<Record<string, Readonly<Record<string, number>>>> =
  builtInDetectors.defaults();
