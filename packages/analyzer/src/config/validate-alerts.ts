import {
  type AlertRoute,
  type AlertsConfig,
  CHANNEL_TYPES,
  type ChannelConfig,
  type ChannelType,
  DEFAULT_ALERTS_CONFIG,
  type RouteMatch,
} from './alerts-config.js';
import { ConfigError, describeValue } from './config-error.js';

type SettingName<T extends ChannelType> = Exclude<keyof Extract<ChannelConfig, { type: T }>, 'name' | 'type'>;

/** Settings each channel type takes besides `name` and `type`; the ones marked true are required. */
const CHANNEL_SETTINGS: { [T in ChannelType]: Record<SettingName<T>, boolean> } = {
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
  const name = raw.name;
  if (typeof name !== 'string' || !NAME_PATTERN.test(name)) {
    throw new ConfigError(
      `${field}.name must be letters, digits, "_", "." or "-" (up to 64), got ${describeValue(name)}`,
    );
  }
  const type = CHANNEL_TYPES.find((t) => t === raw.type);
  if (type === undefined) {
    throw new ConfigError(
      `${field}.type must be one of ${CHANNEL_TYPES.join(', ')}, got ${describeValue(raw.type)}`,
    );
  }
  const settings = CHANNEL_SETTINGS[type];
  for (const key of Object.keys(raw)) {
    if (key !== 'name' && key !== 'type' && !(key in settings)) {
      throw new ConfigError(
        `${field}.${key} is not a setting of a ${type} channel (known: ${Object.keys(settings).join(', ')})`,
      );
    }
  }
  const setting = settingReader(raw, type, field);
  // Settings are read in CHANNEL_SETTINGS' order, so the first one wrong is the one reported.
  switch (type) {
    case 'webhook':
      return {
        name,
        type,
        url: setting.required('url', httpUrl),
        secret: setting.required('secret', secretString),
      };
    case 'slack':
      return { name, type, url: setting.required('url', httpUrl) };
    case 'pagerduty':
      return {
        name,
        type,
        routingKey: setting.required('routingKey', secretString),
        ...setting.optional('url', httpUrl, (url) => ({ url })),
      };
    case 'email':
      return {
        name,
        type,
        host: setting.required('host', nonEmptyString),
        ...setting.optional('port', smtpPort, (port) => ({ port })),
        ...setting.optional('secure', trueOrFalse, (secure) => ({ secure })),
        ...setting.optional('auth', smtpAuth, (auth) => ({ auth })),
        from: setting.required('from', nonEmptyString),
        to: setting.required('to', addresses),
      };
  }
}

type SettingParser<T> = (value: unknown, field: string) => T;

/** Reads a channel's settings by key: a required one that is missing, or a value that is wrong, throws. */
function settingReader(raw: Record<string, unknown>, type: ChannelType, field: string) {
  return {
    required<T>(key: string, parse: SettingParser<T>): T {
      if (raw[key] === undefined) throw new ConfigError(`${field}.${key} is required for a ${type} channel`);
      return parse(raw[key], `${field}.${key}`);
    },
    /** `{}` when the setting is left out, else what `wrap` makes of its value (to spread into the channel). */
    optional<T, W extends object>(key: string, parse: SettingParser<T>, wrap: (value: T) => W): W | object {
      return raw[key] === undefined ? {} : wrap(parse(raw[key], `${field}.${key}`));
    },
  };
}

function httpUrl(value: unknown, field: string): string {
  let protocol = '';
  try {
    protocol = typeof value === 'string' ? new URL(value).protocol : '';
  } catch {}
  if (typeof value !== 'string' || (protocol !== 'http:' && protocol !== 'https:')) {
    throw new ConfigError(`${field} must be an http(s) URL, got ${describeValue(value)}`);
  }
  return value;
}

function smtpPort(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0 || value > 65535) {
    throw new ConfigError(`${field} must be a port number from 1 to 65535, got ${describeValue(value)}`);
  }
  return value;
}

function trueOrFalse(value: unknown, field: string): boolean {
  if (typeof value !== 'boolean')
    throw new ConfigError(`${field} must be true or false, got ${describeValue(value)}`);
  return value;
}

/** `{ user, pass }`; other fields of the object are kept, as the mail transport may read them. */
function smtpAuth(value: unknown, field: string): { user: string; pass: string } {
  const auth = object(value, field);
  const { user, pass } = auth;
  if (typeof user !== 'string' || typeof pass !== 'string') {
    throw new ConfigError(`${field} must be { user, pass } with two strings`);
  }
  return { ...auth, user, pass };
}

function addresses(value: unknown, field: string): string | string[] {
  if (typeof value === 'string' && value !== '') return value;
  if (
    Array.isArray(value) &&
    value.length > 0 &&
    value.every((v): v is string => typeof v === 'string' && v !== '')
  )
    return value;
  throw new ConfigError(
    `${field} must be an address or a non-empty list of addresses, got ${describeValue(value)}`,
  );
}

function nonEmptyString(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.trim() === '')
    throw new ConfigError(`${field} must be a non-empty string, got ${describeValue(value)}`);
  return value;
}

/** Secrets are not echoed back in the message: it may end up in a log. */
function secretString(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.trim() === '')
    throw new ConfigError(`${field} must be a non-empty string, got ${typeof value}`);
  return value;
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
