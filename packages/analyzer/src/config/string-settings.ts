import type { AnalyzerConfig } from './analyzer-config.js';
import { ConfigError } from './config-error.js';

/** Settings that environment variables and command-line flags can give, as text. */
export const STRING_SETTINGS = {
  host: { env: 'JOBLENS_HOST', flag: 'host', kind: 'string' },
  otlpPort: { env: 'JOBLENS_OTLP_PORT', flag: 'otlp-port', kind: 'number' },
  port: { env: 'JOBLENS_PORT', flag: 'port', kind: 'number' },
  dataDir: { env: 'JOBLENS_DATA_DIR', flag: 'data-dir', kind: 'string' },
  databaseUrl: { env: 'JOBLENS_DATABASE_URL', flag: 'database-url', kind: 'string' },
  historyRetentionDays: {
    env: 'JOBLENS_HISTORY_RETENTION_DAYS',
    flag: 'history-retention-days',
    kind: 'number',
  },
  historyMaxBytes: { env: 'JOBLENS_HISTORY_MAX_BYTES', flag: 'history-max-bytes', kind: 'number' },
  token: { env: 'JOBLENS_TOKEN', flag: 'token', kind: 'string' },
  ingestToken: { env: 'JOBLENS_INGEST_TOKEN', flag: 'ingest-token', kind: 'string' },
  readToken: { env: 'JOBLENS_READ_TOKEN', flag: 'read-token', kind: 'string' },
  adminToken: { env: 'JOBLENS_ADMIN_TOKEN', flag: 'admin-token', kind: 'string' },
  trustProxy: { env: 'JOBLENS_TRUST_PROXY', flag: 'trust-proxy', kind: 'boolean' },
  jaegerUrl: { env: 'JOBLENS_JAEGER_URL', flag: 'jaeger-url', kind: 'string' },
  alertWebhookUrl: { env: 'JOBLENS_ALERT_WEBHOOK_URL', flag: 'alert-webhook-url', kind: 'string' },
  evaluationIntervalMillis: {
    env: 'JOBLENS_EVALUATION_INTERVAL_MILLIS',
    flag: 'evaluation-interval-millis',
    kind: 'number',
  },
  maxBodyBytes: { env: 'JOBLENS_MAX_BODY_BYTES', flag: 'max-body-bytes', kind: 'number' },
} as const satisfies Partial<
  Record<keyof AnalyzerConfig, { env: string; flag: string; kind: 'string' | 'number' | 'boolean' }>
>;

type StringSettingName = keyof typeof STRING_SETTINGS;

/** Environment variable naming the configuration file, when `--config` is not given. */
export const CONFIG_FILE_ENV = 'JOBLENS_CONFIG';

/** Reads the `JOBLENS_*` variables that are set; numbers are parsed, and bad ones named by their variable. */
export function readEnvConfig(env: Record<string, string | undefined>): Partial<AnalyzerConfig> {
  return readStrings(
    (name) => env[STRING_SETTINGS[name].env],
    (name) => STRING_SETTINGS[name].env,
  );
}

/** Reads flags by their config field names (as `parseArgs` results keyed by flag name). */
export function readFlagConfig(flags: Record<string, string | undefined>): Partial<AnalyzerConfig> {
  return readStrings(
    (name) => flags[STRING_SETTINGS[name].flag],
    (name) => `--${STRING_SETTINGS[name].flag}`,
  );
}

function readStrings(
  read: (name: StringSettingName) => string | undefined,
  source: (name: StringSettingName) => string,
): Partial<AnalyzerConfig> {
  const result: Record<string, string | number | boolean> = {};
  for (const name of Object.keys(STRING_SETTINGS) as StringSettingName[]) {
    const text = read(name);
    if (text === undefined || text === '') continue;
    if (STRING_SETTINGS[name].kind === 'string') {
      result[name] = text;
      continue;
    }
    if (STRING_SETTINGS[name].kind === 'boolean') {
      result[name] = readBoolean(text, `${name} (${source(name)})`);
      continue;
    }
    const number = Number(text);
    if (text.trim() === '' || !Number.isFinite(number)) {
      throw new ConfigError(`${name} (${source(name)}) must be a number, got ${JSON.stringify(text)}`);
    }
    result[name] = number;
  }
  return result as Partial<AnalyzerConfig>;
}

/** `true`/`1`/`yes` or `false`/`0`/`no`, any case; anything else is an error naming the setting. */
function readBoolean(text: string, setting: string): boolean {
  const word = text.trim().toLowerCase();
  if (word === 'true' || word === '1' || word === 'yes') return true;
  if (word === 'false' || word === '0' || word === 'no') return false;
  throw new ConfigError(`${setting} must be true or false, got ${JSON.stringify(text)}`);
}
