import type { Detector } from './detector.js';
import type { DetectorOptions, DetectorOverrides, DetectorType } from './detector-options.js';
import { eventLoopBlockedDetector } from './event-loop-blocked.js';
import { hostImbalanceDetector } from './host-imbalance.js';
import { mysteryGapDetector } from './mystery-gap.js';
import { queueStarvationDetector } from './queue-starvation.js';
import { retryStormDetector } from './retry-storm.js';
import { runawayRetriesDetector } from './runaway-retries.js';
import { silentJobDetector } from './silent-job.js';
import { silentWorkerDetector } from './silent-worker.js';

export type { DetectorOptions, DetectorOverrides, DetectorType } from './detector-options.js';

/** Any one of the detectors, with its own options type. */
export type AnyDetector = {
  [T in DetectorType]: Detector<DetectorOptions[T]> & { readonly type: T };
}[DetectorType];

export const allDetectors: readonly AnyDetector[] = [
  mysteryGapDetector as AnyDetector,
  silentJobDetector as AnyDetector,
  runawayRetriesDetector as AnyDetector,
  retryStormDetector as AnyDetector,
  hostImbalanceDetector as AnyDetector,
  silentWorkerDetector as AnyDetector,
  queueStarvationDetector as AnyDetector,
  eventLoopBlockedDetector as AnyDetector,
];

/** Every detector's defaults, by finding type. */
export const detectorDefaults: Readonly<DetectorOptions> = Object.fromEntries(
  allDetectors.map((detector) => [detector.type, detector.defaults]),
) as unknown as DetectorOptions;

/**
 * Defaults of `detectors` (default: all) with overrides applied; rejects an unknown detector, an unknown option or a value that is not a
 * finite number >= 0, naming the option, the expected and the actual value.
 */
export function resolveDetectorOptions(
  overrides: DetectorOverrides = {},
  detectors: readonly { type: string; defaults: object }[] = allDetectors,
): DetectorOptions {
  const resolved = Object.fromEntries(
    detectors.map((detector) => [detector.type, { ...detector.defaults }]),
  ) as unknown as Record<string, Record<string, number>>;
  for (const [type, options] of Object.entries(overrides)) {
    const target = resolved[type];
    if (target === undefined) {
      throw new Error(
        `detectors.${type}: unknown detector, expected one of ${Object.keys(resolved).join(', ')}`,
      );
    }
    for (const [name, value] of Object.entries(options ?? {})) {
      if (!(name in target)) {
        throw new Error(
          `detectors.${type}.${name}: unknown option, expected one of ${Object.keys(target).join(', ')}`,
        );
      }
      if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
        throw new Error(
          `detectors.${type}.${name}: expected a finite number >= 0, got ${JSON.stringify(value)}`,
        );
      }
      target[name] = value;
    }
  }
  return resolved as unknown as DetectorOptions;
}

export {
  eventLoopBlockedDetector,
  hostImbalanceDetector,
  mysteryGapDetector,
  queueStarvationDetector,
  retryStormDetector,
  runawayRetriesDetector,
  silentJobDetector,
  silentWorkerDetector,
};
