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
import { stalledJobDetector } from './stalled-job.js';

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
  stalledJobDetector as AnyDetector,
];

/** Every detector's defaults, by finding type. */
export const detectorDefaults: Readonly<DetectorOptions> = Object.fromEntries(
  allDetectors.map((detector) => [detector.type, detector.defaults]),
) as unknown as DetectorOptions;

/**
 * An option every detector takes besides its own: a finding that resolved and comes back within this many
 * seconds reopens under its old id (see `reconcile`). It is the runner's, not passed to `evaluate`.
 */
export const REOPEN_OPTION = 'reopenWithinSeconds';
/**
 * Default of {@link REOPEN_OPTION}. Ten minutes: conditions measured over a window (shares, bursts, gaps)
 * dip below their thresholds now and then for a few evaluations, and a problem that comes back within
 * minutes is, to the person reading it, the same problem.
 */
export const DEFAULT_REOPEN_WITHIN_SECONDS = 600;

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
      if (!(name in target) && name !== REOPEN_OPTION) {
        throw new Error(
          `detectors.${type}.${name}: unknown option, expected one of ${[...Object.keys(target), REOPEN_OPTION].join(', ')}`,
        );
      }
      if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
        throw new Error(
          `detectors.${type}.${name}: expected a finite number >= 0, got ${JSON.stringify(value)}`,
        );
      }
      if (name !== REOPEN_OPTION) target[name] = value;
    }
  }
  return resolved as unknown as DetectorOptions;
}

/** {@link REOPEN_OPTION} by finding type: the override where one is given, else the default. */
export function resolveReopenWindows(
  overrides: DetectorOverrides = {},
  detectors: readonly { type: string }[] = allDetectors,
): Record<string, number> {
  const windows: Record<string, number> = {};
  for (const detector of detectors) {
    const value = (overrides as Record<string, Record<string, unknown> | undefined>)[detector.type]?.[
      REOPEN_OPTION
    ];
    windows[detector.type] = typeof value === 'number' ? value : DEFAULT_REOPEN_WITHIN_SECONDS;
  }
  return windows;
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
  stalledJobDetector,
};
