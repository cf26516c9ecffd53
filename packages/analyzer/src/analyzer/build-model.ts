import type { AnalyzerConfig } from '../config/analyzer-config.js';
import { builtInDetectorOptions } from '../detectors/built-in-detectors.js';
import type { TelemetryModelOptions } from '../model/model-options.js';
import { TelemetryModel } from '../model/telemetry-model.js';

/**
 * The job model, sized for the detectors the config sets up. Explain needs attributes only of attempts a
 * finding can be about: attempts long enough to hold a mystery gap, and running ones silent long enough
 * to be silent jobs.
 */
export function buildModel(
  config: AnalyzerConfig,
  clock: () => number,
  overrides: TelemetryModelOptions | undefined,
): TelemetryModel {
  const detectorOptions = builtInDetectorOptions(config.detectors);
  return new TelemetryModel({
    longAttemptSeconds: Math.max(0.001, detectorOptions.mystery_gap.gapThresholdSeconds),
    // Half the threshold: records come every few seconds, and the one that carries what the job waits on
    // must already be held when the finding opens, not one record later.
    silentAttemptSeconds: Math.max(0.001, detectorOptions.silent_job.silenceThresholdSeconds / 2),
    maxRetainedAttributeBytes: config.maxRetainedAttributeBytes,
    ...overrides,
    clock,
  });
}
