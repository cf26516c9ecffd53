import { type AnalyzerConfig, DEFAULT_CONFIG, type DetectorOverrides } from './analyzer-config.js';
import { ConfigError, describeValue } from './config-error.js';
import { TOKEN_FILE_SETTINGS } from './token-files.js';
import { validateAlerts } from './validate-alerts.js';

/** Each detector's default options by finding type; the names overrides are checked against. */
export type DetectorDefaults = Readonly<Record<string, Readonly<Record<string, unknown>>>>;

/**
 * Checks a section whose shape another part of the analyzer owns (the monitors' definitions), throwing
 * an Error whose message names `field`. Passed in by the composition so config imports nothing above it.
 */
export type SectionCheck = (value: unknown, field: string) => void;

/** Fields checked as a whole after the others: each has a validator of its own below. */
type Section = 'detectors' | 'monitors' | 'alerts';
type PlainField = Exclude<keyof AnalyzerConfig, Section>;
/** Returns the value as the config holds it, or throws a ConfigError naming `field`. */
type FieldParser<T> = (value: unknown, field: string) => T;

const FIELDS: { [K in PlainField]: FieldParser<AnalyzerConfig[K]> } = {
  host: nonEmptyString,
  otlpPort: port,
  port: port,
  dataDir: nonEmptyString,
  databaseUrl: postgresUrl,
  historyRetentionDays: positiveInteger,
  historyMaxBytes: positiveInteger,
  token: nonEmptyString,
  ingestToken: nonEmptyString,
  readToken: nonEmptyString,
  adminToken: nonEmptyString,
  trustProxy: boolean,
  jaegerUrl: httpUrl,
  alertWebhookUrl: httpUrl,
  evaluationIntervalMillis: positiveInteger,
  maxBodyBytes: positiveInteger,
  maxConcurrentRequests: positiveInteger,
  maxBufferedBytes: positiveInteger,
  maxAttributeValueChars: positiveInteger,
  maxAttributesPerRecord: positiveInteger,
  maxEventsPerSpan: positiveInteger,
  maxLinksPerSpan: positiveInteger,
  maxFutureSkewSeconds: positiveInteger,
  maxTimestampAgeSeconds: positiveInteger,
  maxSeriesPerMetric: positiveInteger,
  seriesIdleSeconds: positiveInteger,
  maxRetainedAttributeBytes: positiveInteger,
  redactEmails: boolean,
};
const SECTIONS: readonly Section[] = ['detectors', 'monitors', 'alerts'];
/**
 * What the error for an unknown field lists: the fields above, and the token files, which loadConfig
 * reads into token fields before the configuration gets here.
 */
const KNOWN_FIELDS = [
  ...Object.keys(FIELDS),
  ...Object.values(TOKEN_FILE_SETTINGS).map((setting) => setting.key),
  ...SECTIONS,
];

/**
 * Checks a merged configuration (file, environment and flags already layered) and fills in defaults.
 * Unknown fields are errors rather than ignored: a misspelt threshold silently left at its default
 * is how a detector ends up "not working".
 */
export function validateConfig(
  input: unknown,
  detectorDefaults: DetectorDefaults,
  checkMonitors?: SectionCheck,
): AnalyzerConfig {
  const raw = input ?? {};
  if (!isPlainObject(raw))
    throw new ConfigError(`the configuration must be an object, got ${describeValue(raw)}`);
  const config: AnalyzerConfig = { ...DEFAULT_CONFIG };
  for (const [field, value] of Object.entries(raw)) {
    if (isSection(field)) continue;
    if (!isPlainField(field))
      throw new ConfigError(`unknown field "${field}" (known: ${KNOWN_FIELDS.join(', ')})`);
    if (value === undefined || value === null) continue;
    parseField(config, field, value);
  }
  if (raw.monitors !== undefined && raw.monitors !== null) {
    monitorsSection(raw.monitors, 'monitors', checkMonitors);
    config.monitors = raw.monitors;
  }
  config.detectors = validateDetectors(raw.detectors, detectorDefaults);
  config.alerts = validateAlerts(raw.alerts);
  return config;
}

function isSection(field: string): field is Section {
  return field === 'detectors' || field === 'monitors' || field === 'alerts';
}

function isPlainField(field: string): field is PlainField {
  return Object.hasOwn(FIELDS, field);
}

function parseField<K extends PlainField>(config: AnalyzerConfig, field: K, value: unknown): void {
  config[field] = FIELDS[field](value, field);
}

function validateDetectors(input: unknown, defaults: DetectorDefaults): DetectorOverrides {
  if (input === undefined || input === null) return {};
  if (!isPlainObject(input)) {
    throw new ConfigError(
      `detectors must be an object of detector type to options, got ${describeValue(input)}`,
    );
  }
  const result: DetectorOverrides = {};
  for (const [type, options] of Object.entries(input)) {
    const known = defaults[type];
    if (!known) {
      throw new ConfigError(
        `detectors.${type} is not a detector (known: ${Object.keys(defaults).join(', ')})`,
      );
    }
    if (!isPlainObject(options)) {
      throw new ConfigError(
        `detectors.${type} must be an object of option values, got ${describeValue(options)}`,
      );
    }
    result[type] = {};
    for (const [name, value] of Object.entries(options)) {
      const field = `detectors.${type}.${name}`;
      if (!(name in known)) {
        throw new ConfigError(
          `${field} is not an option of ${type} (known: ${Object.keys(known).join(', ')})`,
        );
      }
      result[type][name] = checkLike(known[name], value, field);
    }
  }
  return result;
}

/** Overrides take the type of the default: numbers stay numbers, and a positive default wants a positive value. */
function checkLike(defaultValue: unknown, value: unknown, field: string): number | string | boolean {
  if (typeof defaultValue === 'number') {
    const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
    const positive = defaultValue > 0;
    if (typeof number !== 'number' || !Number.isFinite(number) || (positive ? number <= 0 : number < 0)) {
      throw new ConfigError(
        `${field} must be a ${positive ? 'positive' : 'non-negative'} number, got ${describeValue(value)}`,
      );
    }
    return number;
  }
  if (typeof defaultValue === 'boolean') {
    if (typeof value !== 'boolean')
      throw new ConfigError(`${field} must be true or false, got ${describeValue(value)}`);
    return value;
  }
  if (typeof value !== 'string')
    throw new ConfigError(`${field} must be a string, got ${describeValue(value)}`);
  return value;
}

function nonEmptyString(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new ConfigError(`${field} must be a non-empty string, got ${describeValue(value)}`);
  }
  return value;
}

function boolean(value: unknown, field: string): boolean {
  if (typeof value !== 'boolean') {
    throw new ConfigError(`${field} must be true or false, got ${describeValue(value)}`);
  }
  return value;
}

function port(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 65535) {
    throw new ConfigError(`${field} must be a port number from 0 to 65535, got ${describeValue(value)}`);
  }
  return value;
}

function positiveInteger(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0) {
    throw new ConfigError(`${field} must be a positive integer, got ${describeValue(value)}`);
  }
  return value;
}

function httpUrl(value: unknown, field: string): string {
  const url = parsedUrl(value);
  if (typeof value !== 'string' || !url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    throw new ConfigError(`${field} must be an http(s) URL, got ${describeValue(value)}`);
  }
  return value;
}

/** The URL may carry a password, so a bad one is described by its scheme only. */
function postgresUrl(value: unknown, field: string): string {
  const url = parsedUrl(value);
  if (typeof value !== 'string' || !url || (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:')) {
    const shown = typeof value === 'string' ? `"${value.split(':')[0]}:…"` : describeValue(value);
    throw new ConfigError(`${field} must be a postgres:// or postgresql:// URL, got ${shown}`);
  }
  return value;
}

/** The URL `value` spells, or undefined when it is no string or no URL. */
function parsedUrl(value: unknown): URL | undefined {
  if (typeof value !== 'string') return undefined;
  try {
    return new URL(value);
  } catch {
    return undefined;
  }
}

/** The monitors code owns the definition's shape (`check`); its errors are reported here as config errors. */
function monitorsSection(value: unknown, field: string, check: SectionCheck | undefined): void {
  if (!Array.isArray(value) && !isPlainObject(value)) {
    throw new ConfigError(`${field} must be a list of monitor definitions, got ${describeValue(value)}`);
  }
  try {
    check?.(value, field);
  } catch (cause) {
    throw new ConfigError((cause as Error).message, { cause });
  }
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
