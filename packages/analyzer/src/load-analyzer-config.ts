import type { AnalyzerConfig } from './config/analyzer-config.js';
import { type LoadConfigInput, loadConfig } from './config/load-config.js';
import { type DetectorDefaults, validateConfig } from './config/validate-config.js';
import { DETECTOR_DEFAULTS } from './detectors/built-in-detectors.js';
import { parseMonitorsConfig } from './monitors/parse-monitors-config.js';

/**
 * The configuration checks composed: config knows the settings, the detectors their options and the
 * monitors their definitions. config imports neither; they meet here, at the top, beside `createAnalyzer`.
 */
export function validateAnalyzerConfig(
  input: unknown,
  detectorDefaults: DetectorDefaults = DETECTOR_DEFAULTS,
): AnalyzerConfig {
  return validateConfig(input, detectorDefaults, parseMonitorsConfig);
}

/** `loadConfig` with the monitors' definitions checked, so a bad one is a ConfigError before anything starts. */
export function loadAnalyzerConfig(input: LoadConfigInput): AnalyzerConfig {
  return loadConfig({ checkMonitors: parseMonitorsConfig, ...input });
}
