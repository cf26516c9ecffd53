import {
  DEFAULT_GRACE_SECONDS,
  type MaintenanceWindow,
  type MonitorDefinition,
  type MonitorSchedule,
  SLUG_PATTERN,
} from './monitor-definition.js';
import { cronFor, nextCronTime } from './next-schedule-time.js';

/** A definition that does not hold; the message names the field, what was expected and what was given. */
export class MonitorDefinitionError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'MonitorDefinitionError';
  }
}

/**
 * The JSON a person writes, in the config file (`monitors: [...]`) and in `POST/PUT /api/monitors`:
 * `{ slug, name?, service?, jobName?, periodSeconds? | cron? + timeZone?, graceSeconds?, maxRuntimeSeconds?,
 * failureThreshold?, maintenanceWindows?: [{ cron, durationSeconds, timeZone? } | { startsAt, endsAt }] }`.
 */
export type MonitorInput = Record<string, unknown>;

const KNOWN_FIELDS = new Set([
  'slug',
  'name',
  'service',
  'jobName',
  'periodSeconds',
  'cron',
  'timeZone',
  'graceSeconds',
  'maxRuntimeSeconds',
  'failureThreshold',
  'maintenanceWindows',
]);

export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

function fail(field: string, expected: string, value: unknown): never {
  throw new MonitorDefinitionError(`${field} must be ${expected}, got ${describeValue(value)}`);
}

function optionalString(input: MonitorInput, key: string, field: string): string | undefined {
  const value = input[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' || value.length === 0 || value.length > 200)
    fail(`${field}.${key}`, 'a string of 1 to 200 characters', value);
  return value;
}

function positiveNumber(value: unknown, field: string, { integer = false, allowZero = false } = {}): number {
  const ok =
    typeof value === 'number' &&
    Number.isFinite(value) &&
    (allowZero ? value >= 0 : value > 0) &&
    (!integer || Number.isInteger(value));
  if (!ok)
    fail(field, `a ${allowZero ? 'non-negative' : 'positive'} ${integer ? 'integer' : 'number'}`, value);
  return value as number;
}

function checkCron(cron: unknown, timeZone: unknown, field: string): { cron: string; timeZone: string } {
  if (typeof cron !== 'string')
    fail(`${field}.cron`, 'a cron expression of 5 fields (or 6 with seconds first)', cron);
  const zone = timeZone === undefined ? 'UTC' : timeZone;
  if (typeof zone !== 'string' || zone.length === 0)
    fail(`${field}.timeZone`, 'an IANA time zone name such as "Europe/Berlin"', zone);
  const fields = cron.trim().split(/\s+/).length;
  if (fields !== 5 && fields !== 6)
    fail(`${field}.cron`, 'a cron expression of 5 fields (or 6 with seconds first)', cron);
  try {
    Intl.DateTimeFormat('en-US', { timeZone: zone });
  } catch {
    fail(`${field}.timeZone`, 'an IANA time zone name such as "Europe/Berlin"', zone);
  }
  try {
    cronFor(cron.trim(), zone);
  } catch (cause) {
    throw new MonitorDefinitionError(
      `${field}.cron must be a valid cron expression, got ${describeValue(cron)} (${(cause as Error).message})`,
      {
        cause,
      },
    );
  }
  // A pattern that never fires (30 February) would leave the monitor waiting for ever, silently.
  if (nextCronTime(cron.trim(), zone, Date.now()) === undefined) {
    fail(`${field}.cron`, 'a cron expression that fires again', cron);
  }
  return { cron: cron.trim(), timeZone: zone };
}

function parseSchedule(input: MonitorInput, field: string): MonitorSchedule {
  const hasPeriod = input.periodSeconds !== undefined;
  const hasCron = input.cron !== undefined;
  if (hasPeriod === hasCron)
    fail(
      field,
      'a definition with exactly one of periodSeconds or cron',
      hasPeriod ? { periodSeconds: input.periodSeconds, cron: input.cron } : {},
    );
  if (hasPeriod) {
    if (input.timeZone !== undefined)
      fail(`${field}.timeZone`, 'absent with periodSeconds (a time zone applies to cron)', input.timeZone);
    return { kind: 'period', periodSeconds: positiveNumber(input.periodSeconds, `${field}.periodSeconds`) };
  }
  return { kind: 'cron', ...checkCron(input.cron, input.timeZone, field) };
}

function parseWindow(value: unknown, field: string): MaintenanceWindow {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    fail(field, 'an object { cron, durationSeconds, timeZone? } or { startsAt, endsAt }', value);
  }
  const window = value as Record<string, unknown>;
  if (window.cron !== undefined) {
    const { cron, timeZone } = checkCron(window.cron, window.timeZone, field);
    return {
      kind: 'recurring',
      cron,
      timeZone,
      durationSeconds: positiveNumber(window.durationSeconds, `${field}.durationSeconds`),
    };
  }
  const startsAtMs = typeof window.startsAt === 'string' ? Date.parse(window.startsAt) : Number.NaN;
  if (Number.isNaN(startsAtMs)) fail(`${field}.startsAt`, 'an ISO 8601 date-time', window.startsAt);
  const endsAtMs = typeof window.endsAt === 'string' ? Date.parse(window.endsAt) : Number.NaN;
  if (Number.isNaN(endsAtMs) || endsAtMs <= startsAtMs)
    fail(`${field}.endsAt`, 'an ISO 8601 date-time after startsAt', window.endsAt);
  return { kind: 'fixed', startsAtMs, endsAtMs };
}

/**
 * Checks one monitor definition and fills its defaults. `field` prefixes every error (`monitors[2]`,
 * `body`) so a person knows which definition and which key is wrong.
 */
export function parseMonitorDefinition(value: unknown, field: string): MonitorDefinition {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(field, 'an object', value);
  const input = value as MonitorInput;
  for (const key of Object.keys(input)) {
    if (!KNOWN_FIELDS.has(key))
      fail(`${field}.${key}`, `one of the known fields (${[...KNOWN_FIELDS].join(', ')})`, key);
  }
  if (typeof input.slug !== 'string' || !SLUG_PATTERN.test(input.slug))
    fail(`${field}.slug`, `a slug matching ${SLUG_PATTERN.source}`, input.slug);
  const definition: MonitorDefinition = {
    slug: input.slug,
    name: optionalString(input, 'name', field) ?? input.slug,
    schedule: parseSchedule(input, field),
    graceSeconds:
      input.graceSeconds === undefined
        ? DEFAULT_GRACE_SECONDS
        : positiveNumber(input.graceSeconds, `${field}.graceSeconds`, { allowZero: true }),
    failureThreshold:
      input.failureThreshold === undefined
        ? 1
        : positiveNumber(input.failureThreshold, `${field}.failureThreshold`, { integer: true }),
    maintenanceWindows: [],
  };
  const service = optionalString(input, 'service', field);
  if (service !== undefined) definition.service = service;
  const jobName = optionalString(input, 'jobName', field);
  if (jobName !== undefined) definition.jobName = jobName;
  if (input.maxRuntimeSeconds !== undefined)
    definition.maxRuntimeSeconds = positiveNumber(input.maxRuntimeSeconds, `${field}.maxRuntimeSeconds`);
  if (input.maintenanceWindows !== undefined) {
    if (!Array.isArray(input.maintenanceWindows))
      fail(`${field}.maintenanceWindows`, 'a list', input.maintenanceWindows);
    definition.maintenanceWindows = input.maintenanceWindows.map((w, i) =>
      parseWindow(w, `${field}.maintenanceWindows[${i}]`),
    );
  }
  return definition;
}

/** The definition as a person would write it: what the API returns and what round-trips through PUT. */
export function monitorInputOf(definition: MonitorDefinition): MonitorInput {
  const input: MonitorInput = { slug: definition.slug, name: definition.name };
  if (definition.service !== undefined) input.service = definition.service;
  if (definition.jobName !== undefined) input.jobName = definition.jobName;
  if (definition.schedule.kind === 'period') input.periodSeconds = definition.schedule.periodSeconds;
  else Object.assign(input, { cron: definition.schedule.cron, timeZone: definition.schedule.timeZone });
  input.graceSeconds = definition.graceSeconds;
  if (definition.maxRuntimeSeconds !== undefined) input.maxRuntimeSeconds = definition.maxRuntimeSeconds;
  input.failureThreshold = definition.failureThreshold;
  input.maintenanceWindows = definition.maintenanceWindows.map((w) =>
    w.kind === 'recurring'
      ? { cron: w.cron, timeZone: w.timeZone, durationSeconds: w.durationSeconds }
      : { startsAt: new Date(w.startsAtMs).toISOString(), endsAt: new Date(w.endsAtMs).toISOString() },
  );
  return input;
}

/** `every 300 s` or `0 2 * * * (Europe/Berlin)`, for the page and the CLI. */
export function describeSchedule(schedule: MonitorSchedule): string {
  return schedule.kind === 'period'
    ? `every ${schedule.periodSeconds} s`
    : `${schedule.cron} (${schedule.timeZone})`;
}
