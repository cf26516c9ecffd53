import type { AnalyzerConfig } from './analyzer-config.js';
import { ConfigError, describeValue } from './config-error.js';
import { readConfigFile } from './read-config-file.js';
import { CONFIG_FILE_ENV, readEnvConfig, readFlagConfig } from './string-settings.js';
import { type DetectorDefaults, isPlainObject, validateConfig } from './validate-config.js';

export interface LoadConfigInput {
  /** Command-line values keyed by flag name (`otlp-port`, `data-dir`, `config`, ...). */
  flags?: Record<string, string | undefined>;
  /** Default `process.env`. */
  env?: Record<string, string | undefined>;
  detectorDefaults: DetectorDefaults;
}

/**
 * Layers the configuration: flags win over `JOBLENS_*` variables, which win over the file
 * (`--config`, else `JOBLENS_CONFIG`), which wins over the defaults. Detector thresholds and monitors
 * come from the file only: they are structured, and a flag per threshold would not scale.
 */
export function loadConfig({
  flags = {},
  env = process.env,
  detectorDefaults,
}: LoadConfigInput): AnalyzerConfig {
  const path = flags.config ?? env[CONFIG_FILE_ENV];
  const file = path ? readConfigFile(path) : {};
  if (!isPlainObject(file)) {
    throw new ConfigError(
      `the configuration file ${path} must hold an object of settings, got ${describeValue(file)}`,
    );
  }
  return validateConfig({ ...file, ...readEnvConfig(env), ...readFlagConfig(flags) }, detectorDefaults);
}
