import {
  DEFAULT_AUTO_CREATE_PERIOD_SECONDS,
  DEFAULT_GRACE_SECONDS,
  type MonitorDefinition,
} from './monitor-definition.js';
import { describeValue, MonitorDefinitionError, parseMonitorDefinition } from './parse-monitor-definition.js';

/** The config file's `monitors` section, checked. */
export interface MonitorsConfig {
  /** A ping to an unknown slug creates a monitor (instead of 404). Default false. */
  autoCreate: boolean;
  /** Period of auto-created monitors. Default 86400 (a day, as Healthchecks.io). */
  autoCreatePeriodSeconds: number;
  /** Grace of auto-created monitors. Default 3600. */
  autoCreateGraceSeconds: number;
  definitions: MonitorDefinition[];
}

/**
 * Reads `monitors` from the config: either a list of definitions, or
 * `{ autoCreate?, autoCreatePeriodSeconds?, autoCreateGraceSeconds?, definitions?: [...] }`.
 */
export function parseMonitorsConfig(value: unknown, field = 'monitors'): MonitorsConfig {
  const config: MonitorsConfig = {
    autoCreate: false,
    autoCreatePeriodSeconds: DEFAULT_AUTO_CREATE_PERIOD_SECONDS,
    autoCreateGraceSeconds: DEFAULT_GRACE_SECONDS,
    definitions: [],
  };
  if (value === undefined || value === null) return config;
  let list: unknown = value;
  let listField = field;
  if (!Array.isArray(value)) {
    if (typeof value !== 'object')
      throw new MonitorDefinitionError(
        `${field} must be a list of monitor definitions or an object, got ${describeValue(value)}`,
      );
    const section = value as Record<string, unknown>;
    for (const key of Object.keys(section)) {
      if (!['autoCreate', 'autoCreatePeriodSeconds', 'autoCreateGraceSeconds', 'definitions'].includes(key)) {
        throw new MonitorDefinitionError(
          `${field}.${key} is not a known option (autoCreate, autoCreatePeriodSeconds, autoCreateGraceSeconds, definitions), got ${describeValue(key)}`,
        );
      }
    }
    if (section.autoCreate !== undefined) {
      if (typeof section.autoCreate !== 'boolean')
        throw new MonitorDefinitionError(
          `${field}.autoCreate must be true or false, got ${describeValue(section.autoCreate)}`,
        );
      config.autoCreate = section.autoCreate;
    }
    for (const key of ['autoCreatePeriodSeconds', 'autoCreateGraceSeconds'] as const) {
      const seconds = section[key];
      if (seconds === undefined) continue;
      if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds <= 0) {
        throw new MonitorDefinitionError(
          `${field}.${key} must be a positive number, got ${describeValue(seconds)}`,
        );
      }
      config[key] = seconds;
    }
    list = section.definitions ?? [];
    listField = `${field}.definitions`;
  }
  if (!Array.isArray(list))
    throw new MonitorDefinitionError(
      `${listField} must be a list of monitor definitions, got ${describeValue(list)}`,
    );
  const seen = new Set<string>();
  config.definitions = list.map((item, i) => {
    const definition = parseMonitorDefinition(item, `${listField}[${i}]`);
    if (seen.has(definition.slug))
      throw new MonitorDefinitionError(
        `${listField}[${i}].slug must be unique, got ${describeValue(definition.slug)} twice`,
      );
    seen.add(definition.slug);
    return definition;
  });
  return config;
}
