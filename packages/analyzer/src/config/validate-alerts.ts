import {
  type AlertRoute,
  type AlertsConfig,
  CHANNEL_TYPES,
  type ChannelConfig,
  DEFAULT_ALERTS_CONFIG,
  type RouteMatch,
} from './alerts-config.js';
import { ConfigError, describeValue } from './config-error.js';

/** Settings each channel type takes besides `name` and `type`; the ones marked true are required. */
const CHANNEL_SETTINGS: Record<ChannelConfig['type'], Record<string, boolean>> = {
  webhook: { url: true, secret: true },
  slack: { url: true },
  pagerduty: { routingKey: true, url: false },
  email: { host: true, port: false, secure: false, auth: false, from: true, to: true },
};
const MATCH_FIELDS: (keyof RouteMatch)[] = ['type', 'severity', 'service', 'queue', 'monitor'];
const SEVERITIES = ['info', 'warning', 'critical'];
const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

/** Checks the config file's `alerts` section; errors name the option (`alerts.channels[1].secret`). */
export function validateAlerts(input: unknown, field = 'alerts'): AlertsConfig {
  if (input === undefined || input === null) return { ...DEFAULT_ALERTS_CONFIG };
  const raw = object(input, field);
  const known = ['channels', 'routes', 'allowPrivateAddresses', 'retryForHours', 'reminderHours'];
  for (const key of Object.keys(raw)) {
    if (!known.includes(key))
      throw new ConfigError(`unknown field "${field}.${key}" (known: ${known.join(', ')})`);
  }
  const channels = list(raw.channels, `${field}.channels`).map((c, i) =>
    validateChannel(c, `${field}.channels[${i}]`),
  );
  const names = new Set<string>();
  channels.forEach((c, i) => {
    if (names.has(c.name))
      throw new ConfigError(`${field}.channels[${i}].name ${JSON.stringify(c.name)} is used twice`);
    names.add(c.name);
  });
  const routes = list(raw.routes, `${field}.routes`).map((r, i) => route(r, `${field}.routes[${i}]`, names));
  const allowPrivateAddresses = raw.allowPrivateAddresses ?? false;
  if (typeof allowPrivateAddresses !== 'boolean') {
    throw new ConfigError(
      `${field}.allowPrivateAddresses must be true or false, got ${describeValue(allowPrivateAddresses)}`,
    );
  }
  const retryForHours = raw.retryForHours ?? DEFAULT_ALERTS_CONFIG.retryForHours;
  if (typeof retryForHours !== 'number' || !Number.isFinite(retryForHours) || retryForHours <= 0) {
    throw new ConfigError(
      `${field}.retryForHours must be a positive number of hours, got ${describeValue(retryForHours)}`,
    );
  }
  const reminderHours = raw.reminderHours ?? undefined;
  if (
    reminderHours !== undefined &&
    (typeof reminderHours !== 'number' || !Number.isFinite(reminderHours) || reminderHours < 0)
  ) {
    throw new ConfigError(
      `${field}.reminderHours must be a number of hours >= 0 (0 sends no reminders), got ${describeValue(reminderHours)}`,
    );
  }
  return {
    channels,
    routes,
    allowPrivateAddresses,
    retryForHours,
    ...(reminderHours !== undefined ? { reminderHours } : {}),
  };
}

/** One channel's settings, as in `alerts.channels` (also what the API takes to create one). */
export function validateChannel(input: unknown, field: string): ChannelConfig {
  const raw = object(input, field);
  if (typeof raw.name !== 'string' || !NAME_PATTERN.test(raw.name)) {
    throw new ConfigError(
      `${field}.name must be letters, digits, "_", "." or "-" (up to 64), got ${describeValue(raw.name)}`,
    );
  }
  const settings = CHANNEL_SETTINGS[raw.type as ChannelConfig['type']];
  if (!settings) {
    throw new ConfigError(
      `${field}.type must be one of ${CHANNEL_TYPES.join(', ')}, got ${describeValue(raw.type)}`,
    );
  }
  for (const key of Object.keys(raw)) {
    if (key !== 'name' && key !== 'type' && !(key in settings)) {
      throw new ConfigError(
        `${field}.${key} is not a setting of a ${raw.type} channel (known: ${Object.keys(settings).join(', ')})`,
      );
    }
  }
  for (const [key, required] of Object.entries(settings)) {
    if (raw[key] === undefined) {
      if (required) throw new ConfigError(`${field}.${key} is required for a ${raw.type} channel`);
      continue;
    }
    checkSetting(key, raw[key], `${field}.${key}`);
  }
  return raw as unknown as ChannelConfig;
}

function checkSetting(key: string, value: unknown, field: string): void {
  if (key === 'url') {
    let protocol = '';
    try {
      protocol = typeof value === 'string' ? new URL(value).protocol : '';
    } catch {}
    if (protocol !== 'http:' && protocol !== 'https:') {
      throw new ConfigError(`${field} must be an http(s) URL, got ${describeValue(value)}`);
    }
  } else if (key === 'port') {
    if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0 || value > 65535) {
      throw new ConfigError(`${field} must be a port number from 1 to 65535, got ${describeValue(value)}`);
    }
  } else if (key === 'secure') {
    if (typeof value !== 'boolean')
      throw new ConfigError(`${field} must be true or false, got ${describeValue(value)}`);
  } else if (key === 'auth') {
    const auth = object(value, field);
    if (typeof auth.user !== 'string' || typeof auth.pass !== 'string') {
      throw new ConfigError(`${field} must be { user, pass } with two strings`);
    }
  } else if (key === 'to') {
    const ok =
      typeof value === 'string'
        ? value !== ''
        : Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === 'string' && v !== '');
    if (!ok)
      throw new ConfigError(
        `${field} must be an address or a non-empty list of addresses, got ${describeValue(value)}`,
      );
  } else if (typeof value !== 'string' || value.trim() === '') {
    // Secrets are not echoed back in the message: it may end up in a log.
    const shown = key === 'secret' || key === 'routingKey' ? typeof value : describeValue(value);
    throw new ConfigError(`${field} must be a non-empty string, got ${shown}`);
  }
}

function route(input: unknown, field: string, channels: ReadonlySet<string>): AlertRoute {
  const raw = object(input, field);
  for (const key of Object.keys(raw)) {
    if (key !== 'match' && key !== 'channels') {
      throw new ConfigError(`unknown field "${field}.${key}" (known: match, channels)`);
    }
  }
  const names = list(raw.channels, `${field}.channels`);
  names.forEach((name, i) => {
    if (typeof name !== 'string' || !channels.has(name)) {
      throw new ConfigError(
        `${field}.channels[${i}] names no channel in alerts.channels: ${describeValue(name)} (known: ${[...channels].join(', ') || 'none'})`,
      );
    }
  });
  if (raw.match === undefined) return { channels: names as string[] };
  return { match: validateRouteMatch(raw.match, `${field}.match`), channels: names as string[] };
}

/** A route's `match`: each field a value or a list of values. */
export function validateRouteMatch(input: unknown, field: string): RouteMatch {
  const match = object(input, field);
  const result: RouteMatch = {};
  for (const [key, value] of Object.entries(match)) {
    if (!MATCH_FIELDS.includes(key as keyof RouteMatch)) {
      throw new ConfigError(`${field}.${key} is not a route field (known: ${MATCH_FIELDS.join(', ')})`);
    }
    const values = typeof value === 'string' ? [value] : value;
    if (!Array.isArray(values) || values.length === 0 || !values.every((v) => typeof v === 'string')) {
      throw new ConfigError(
        `${field}.${key} must be a string or a list of strings, got ${describeValue(value)}`,
      );
    }
    if (key === 'severity' && !values.every((v) => SEVERITIES.includes(v))) {
      throw new ConfigError(
        `${field}.severity must be among ${SEVERITIES.join(', ')}, got ${describeValue(value)}`,
      );
    }
    (result as Record<string, string[]>)[key] = values;
  }
  return result;
}

function object(value: unknown, field: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ConfigError(`${field} must be an object, got ${describeValue(value)}`);
  }
  return value as Record<string, unknown>;
}

function list(value: unknown, field: string): unknown[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new ConfigError(`${field} must be a list, got ${describeValue(value)}`);
  return value;
}
