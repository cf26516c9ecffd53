import type { AnalyzerConfig } from './analyzer-config.js';
import { ConfigError, describeValue } from './config-error.js';
import { readConfigFile } from './read-config-file.js';
import { CONFIG_FILE_ENV, readEnvConfig, readFlagConfig } from './string-settings.js';
import { withTokenFiles } from './token-files.js';
import {
  type DetectorDefaults,
  isPlainObject,
  type SectionCheck,
  validateConfig,
} from './validate-config.js';

export interface LoadConfigInput {
  /** Command-line values keyed by flag name (`otlp-port`, `data-dir`, `config`, ...). */
  flags?: Record<string, string | undefined>;
  /** Default `process.env`. */
  env?: Record<string, string | undefined>;
  detectorDefaults: DetectorDefaults;
  /** Checks the `monitors` section's definitions (the monitors' `parseMonitorsConfig`). Default: only its outer shape. */
  checkMonitors?: SectionCheck;
}

/**
 * Layers the configuration: flags win over `JOBLENS_*` variables, which win over the file
 * (`--config`, else `JOBLENS_CONFIG`), which wins over the defaults. Detector thresholds and monitors
 * come from the file only: they are structured, and a flag per threshold would not scale. Each token can
 * also come from a file (`--admin-token-file`, `JOBLENS_ADMIN_TOKEN_FILE`, `adminTokenFile`), read in the
 * layer that names it.
 */
export function loadConfig({
  flags = {},
  env = process.env,
  detectorDefaults,
  checkMonitors,
}: LoadConfigInput): AnalyzerConfig {
  const path = flags.config ?? env[CONFIG_FILE_ENV];
  const file = path ? readConfigFile(path) : {};
  if (!isPlainObject(file)) {
    throw new ConfigError(
      `the configuration file ${path} must hold an object of settings, got ${describeValue(file)}`,
    );
  }
  const { tokenFile, ingestTokenFile, readTokenFile, adminTokenFile, ...settings } = file;
  const fileKeys: Record<string, unknown> = { tokenFile, ingestTokenFile, readTokenFile, adminTokenFile };
  const fromFile = withTokenFiles(
    settings as Partial<AnalyzerConfig>,
    (setting) => stringIn(fileKeys[setting.key], `${setting.key} in ${path}`),
    (setting) => `${setting.key} in ${path}`,
  );
  const fromEnv = withTokenFiles(
    readEnvConfig(env),
    (setting) => env[setting.env],
    (setting) => setting.env,
  );
  const fromFlags = withTokenFiles(
    readFlagConfig(flags),
    (setting) => flags[setting.flag],
    (setting) => `--${setting.flag}`,
  );
  return validateConfig({ ...fromFile, ...fromEnv, ...fromFlags }, detectorDefaults, checkMonitors);
}

function stringIn(value: unknown, field: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string')
    throw new ConfigError(`${field} must be a file path, got ${describeValue(value)}`);
  return value;
}
