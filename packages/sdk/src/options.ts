import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { LogRecordExporter } from '@opentelemetry/sdk-logs';
import type { MetricReader } from '@opentelemetry/sdk-metrics';
import type { SpanExporter } from '@opentelemetry/sdk-trace-base';
import { createDefaultOnError } from './default-on-error.js';
import type { JoblensOptions } from './interfaces.js';

type OtlpProtocol = 'http/protobuf' | 'http/json';
export type SignalExport = { url: string; protocol: OtlpProtocol; headers: Record<string, string> };

/** Every option with its default applied; the one place defaults live. */
export type ResolvedOptions = {
  serviceName: string;
  serviceInstanceId: string;
  resourceAttributes: Record<string, string | number | boolean>;
  traces: SignalExport;
  metrics: SignalExport;
  logs: SignalExport;
  exportTimeoutMillis: number;
  stillRunningIntervalMillis: number;
  startedRecordDelayMillis: number;
  metricExportIntervalMillis: number;
  flushOnSignals: boolean;
  dumpSignal: NodeJS.Signals | false;
  dumpDirectory: string;
  watchdog: {
    enabled: boolean;
    blockedThresholdMillis: number;
    captureStack: boolean;
    stackTimeoutMillis: number;
  };
  diagnostic: {
    enabled: boolean;
    toggleSignal: NodeJS.Signals | false;
    adminPort?: number;
    adminToken?: string;
  };
  sampling: {
    keepOneInHealthy: number;
    slowThresholdMillis: number;
    gapThresholdMillis: number;
    maxSpansPerAttempt: number;
  };
  maxQueueSize: number;
  onError: (error: Error) => void;
  prometheusPort?: number;
  spanExporter?: SpanExporter;
  logRecordExporter?: LogRecordExporter;
  metricReader?: MetricReader;
};

const DEFAULT_ENDPOINT = 'http://localhost:4318';
const DEFAULTS = {
  protocol: 'http/protobuf' as OtlpProtocol,
  exportTimeoutMillis: 5000,
  stillRunningIntervalMillis: 10_000,
  startedRecordDelayMillis: 1000,
  metricExportIntervalMillis: 10_000,
  flushOnSignals: true,
  dumpSignal: 'SIGUSR2' as NodeJS.Signals,
  blockedThresholdMillis: 1000,
  stackTimeoutMillis: 1000,
  keepOneInHealthy: 1,
  slowThresholdMillis: 10_000,
  gapThresholdMillis: 5000,
  maxSpansPerAttempt: 1000,
  maxQueueSize: 2048,
} as const;

/** Fixed for the process so that several SDK instances (and restarts of one) agree. */
const PROCESS_INSTANCE_ID = randomUUID();

type Env = Record<string, string | undefined>;

function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'function') return 'a function';
  if (Array.isArray(value)) return 'an array';
  if (value !== null && typeof value === 'object') return 'an object';
  return String(value);
}

function fail(name: string, expected: string, actual: unknown): never {
  throw new Error(`joblens: option ${name} must be ${expected}, got ${show(actual)}`);
}

function failEnv(name: string, expected: string, actual: unknown): never {
  throw new Error(`joblens: environment variable ${name} must be ${expected}, got ${show(actual)}`);
}

function positiveInteger(name: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0)
    fail(name, 'a positive integer', value);
  return value;
}

function nonNegativeInteger(name: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0)
    fail(name, 'a non-negative integer', value);
  return value;
}

function port(name: string, value: unknown): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 65535)
    fail(name, 'an integer port from 0 to 65535', value);
  return value;
}

function bool(name: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') fail(name, 'a boolean', value);
  return value;
}

function nonEmptyString(name: string, value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.trim() === '') fail(name, 'a non-empty string', value);
  return value;
}

function signalOrFalse(
  name: string,
  value: unknown,
  fallback: NodeJS.Signals | false,
): NodeJS.Signals | false {
  if (value === undefined) return fallback;
  if (value === false) return false;
  if (typeof value !== 'string' || !/^SIG[A-Z0-9]+$/.test(value))
    fail(name, 'a signal name such as "SIGUSR2" or false', value);
  if (value === 'SIGKILL' || value === 'SIGSTOP') fail(name, 'a signal that can be caught', value);
  // Node starts the inspector on SIGUSR1; taking it over would break debugging in production.
  if (value === 'SIGUSR1') fail(name, 'a signal other than SIGUSR1 (Node uses it for the inspector)', value);
  return value as NodeJS.Signals;
}

function section<T extends object>(name: string, value: unknown): Partial<T> {
  if (value === undefined) return {};
  if (value === null || typeof value !== 'object' || Array.isArray(value)) fail(name, 'an object', value);
  return value as Partial<T>;
}

function httpUrl(name: string, value: string, fromEnv: boolean): string {
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    (fromEnv ? failEnv : fail)(name, 'an http:// or https:// URL', value);
  }
  return value;
}

function protocolOf(name: string, value: unknown, fromEnv: boolean): OtlpProtocol {
  if (value === 'http/protobuf' || value === 'http/json') return value;
  return (fromEnv ? failEnv : fail)(name, '"http/protobuf" or "http/json"', value);
}

/** Parses `k=v,k2=v2` with URL-encoded parts (the OTEL_EXPORTER_OTLP_HEADERS format). */
export function parseHeaderList(text: string | undefined): Record<string, string> {
  const headers: Record<string, string> = {};
  if (!text) return headers;
  for (const pair of text.split(',')) {
    const at = pair.indexOf('=');
    if (at <= 0) continue;
    try {
      headers[decodeURIComponent(pair.slice(0, at).trim())] = decodeURIComponent(pair.slice(at + 1).trim());
    } catch {
      // A malformed escape in one header must not lose the others.
    }
  }
  return headers;
}

function headerRecord(name: string, value: unknown): Record<string, string> {
  const record = section<Record<string, unknown>>(name, value);
  for (const [key, v] of Object.entries(record)) {
    if (typeof v !== 'string') fail(`${name}.${key}`, 'a string', v);
  }
  return record as Record<string, string>;
}

function resolveSignal(
  signal: 'TRACES' | 'METRICS' | 'LOGS',
  path: string,
  options: JoblensOptions,
  headers: Record<string, string>,
  env: Env,
): SignalExport {
  const signalEndpoint = env[`OTEL_EXPORTER_OTLP_${signal}_ENDPOINT`];
  const baseEndpoint = env.OTEL_EXPORTER_OTLP_ENDPOINT;
  let url: string;
  if (options.endpoint !== undefined) url = joinPath(httpUrl('endpoint', options.endpoint, false), path);
  else if (signalEndpoint) url = httpUrl(`OTEL_EXPORTER_OTLP_${signal}_ENDPOINT`, signalEndpoint, true);
  else if (baseEndpoint) url = joinPath(httpUrl('OTEL_EXPORTER_OTLP_ENDPOINT', baseEndpoint, true), path);
  else url = joinPath(DEFAULT_ENDPOINT, path);

  let protocol: OtlpProtocol = DEFAULTS.protocol;
  const signalProtocol = env[`OTEL_EXPORTER_OTLP_${signal}_PROTOCOL`];
  if (options.protocol !== undefined) protocol = protocolOf('protocol', options.protocol, false);
  else if (signalProtocol)
    protocol = protocolOf(`OTEL_EXPORTER_OTLP_${signal}_PROTOCOL`, signalProtocol, true);
  else if (env.OTEL_EXPORTER_OTLP_PROTOCOL)
    protocol = protocolOf('OTEL_EXPORTER_OTLP_PROTOCOL', env.OTEL_EXPORTER_OTLP_PROTOCOL, true);

  return {
    url,
    protocol,
    headers: {
      ...parseHeaderList(env.OTEL_EXPORTER_OTLP_HEADERS),
      ...parseHeaderList(env[`OTEL_EXPORTER_OTLP_${signal}_HEADERS`]),
      ...headers,
    },
  };
}

function joinPath(base: string, path: string): string {
  return `${base.replace(/\/+$/, '')}${path}`;
}

/** `service.name` of an uninstrumented script: the name in the package.json nearest the entry file. */
function entryPackageName(): string | undefined {
  const entry = process.argv[1];
  if (!entry) return undefined;
  let dir = dirname(entry);
  for (let i = 0; i < 20; i++) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) {
      try {
        const name = JSON.parse(readFileSync(file, 'utf8')).name;
        return typeof name === 'string' && name !== '' ? name : undefined;
      } catch {
        return undefined;
      }
    }
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
  return undefined;
}

function resourceAttributeFromEnv(env: Env, key: string): string | undefined {
  const value = parseHeaderList(env.OTEL_RESOURCE_ATTRIBUTES)[key];
  return value === '' ? undefined : value;
}

function pluggable<T>(name: string, value: unknown, methods: string[]): T | undefined {
  if (value === undefined) return undefined;
  if (value === null || typeof value !== 'object')
    fail(name, `an object with ${methods.join(' and ')} methods`, value);
  for (const method of methods) {
    if (typeof (value as Record<string, unknown>)[method] !== 'function')
      fail(name, `an object with ${methods.join(' and ')} methods`, value);
  }
  return value as T;
}

const KNOWN_KEYS: Record<string, readonly string[]> = {
  '': [
    'serviceName',
    'serviceInstanceId',
    'resourceAttributes',
    'endpoint',
    'protocol',
    'headers',
    'exportTimeoutMillis',
    'stillRunningIntervalMillis',
    'startedRecordDelayMillis',
    'metricExportIntervalMillis',
    'flushOnSignals',
    'dumpSignal',
    'dumpDirectory',
    'watchdog',
    'diagnostic',
    'sampling',
    'maxQueueSize',
    'onError',
    'prometheusPort',
    'spanExporter',
    'logRecordExporter',
    'metricReader',
  ],
  watchdog: ['enabled', 'blockedThresholdMillis', 'captureStack', 'stackTimeoutMillis'],
  diagnostic: ['enabled', 'toggleSignal', 'adminPort', 'adminToken'],
  sampling: ['keepOneInHealthy', 'slowThresholdMillis', 'gapThresholdMillis', 'maxSpansPerAttempt'],
};

/** Option names the SDK does not know (typos such as `stillRunningIntervalMs`), dotted for nested ones. */
export function unknownOptionKeys(input: JoblensOptions | undefined): string[] {
  const unknown: string[] = [];
  if (!input || typeof input !== 'object') return unknown;
  for (const [section, known] of Object.entries(KNOWN_KEYS)) {
    const value = section === '' ? input : (input as Record<string, unknown>)[section];
    if (!value || typeof value !== 'object') continue;
    for (const key of Object.keys(value))
      if (!known.includes(key)) unknown.push(section === '' ? key : `${section}.${key}`);
  }
  return unknown;
}

/**
 * Applies defaults and validates; throws one clear error naming the first bad option (or
 * environment variable), what it expects and what it got.
 */
export function resolveOptions(input: JoblensOptions | undefined, env: Env = process.env): ResolvedOptions {
  const options = section<JoblensOptions>('options', input) as JoblensOptions;
  const watchdog = section<NonNullable<JoblensOptions['watchdog']>>('watchdog', options.watchdog);
  const diagnostic = section<NonNullable<JoblensOptions['diagnostic']>>('diagnostic', options.diagnostic);
  const sampling = section<NonNullable<JoblensOptions['sampling']>>('sampling', options.sampling);

  const resourceAttributes = section<Record<string, unknown>>(
    'resourceAttributes',
    options.resourceAttributes,
  );
  for (const [key, value] of Object.entries(resourceAttributes)) {
    if (!['string', 'number', 'boolean'].includes(typeof value))
      fail(`resourceAttributes.${key}`, 'a string, number or boolean', value);
  }
  const headers = headerRecord('headers', options.headers);

  let metricExportIntervalMillis: number = DEFAULTS.metricExportIntervalMillis;
  if (options.metricExportIntervalMillis !== undefined) {
    metricExportIntervalMillis = positiveInteger(
      'metricExportIntervalMillis',
      options.metricExportIntervalMillis,
      0,
    );
  } else if (env.OTEL_METRIC_EXPORT_INTERVAL) {
    const fromEnv = Number(env.OTEL_METRIC_EXPORT_INTERVAL);
    if (!Number.isInteger(fromEnv) || fromEnv <= 0)
      failEnv('OTEL_METRIC_EXPORT_INTERVAL', 'a positive integer', env.OTEL_METRIC_EXPORT_INTERVAL);
    metricExportIntervalMillis = fromEnv;
  }

  const adminPort = port('diagnostic.adminPort', diagnostic.adminPort);
  const adminToken = nonEmptyString('diagnostic.adminToken', diagnostic.adminToken);
  if (adminPort !== undefined && adminToken === undefined)
    fail('diagnostic.adminToken', 'a non-empty string when diagnostic.adminPort is set', undefined);

  if (options.onError !== undefined && typeof options.onError !== 'function')
    fail('onError', 'a function', options.onError);

  return {
    serviceName:
      nonEmptyString('serviceName', options.serviceName) ??
      (env.OTEL_SERVICE_NAME || undefined) ??
      resourceAttributeFromEnv(env, 'service.name') ??
      entryPackageName() ??
      'unknown_service:node',
    serviceInstanceId:
      nonEmptyString('serviceInstanceId', options.serviceInstanceId) ??
      resourceAttributeFromEnv(env, 'service.instance.id') ??
      PROCESS_INSTANCE_ID,
    resourceAttributes: resourceAttributes as Record<string, string | number | boolean>,
    traces: resolveSignal('TRACES', '/v1/traces', options, headers, env),
    metrics: resolveSignal('METRICS', '/v1/metrics', options, headers, env),
    logs: resolveSignal('LOGS', '/v1/logs', options, headers, env),
    exportTimeoutMillis: positiveInteger(
      'exportTimeoutMillis',
      options.exportTimeoutMillis,
      DEFAULTS.exportTimeoutMillis,
    ),
    stillRunningIntervalMillis: positiveInteger(
      'stillRunningIntervalMillis',
      options.stillRunningIntervalMillis,
      DEFAULTS.stillRunningIntervalMillis,
    ),
    startedRecordDelayMillis: nonNegativeInteger(
      'startedRecordDelayMillis',
      options.startedRecordDelayMillis,
      DEFAULTS.startedRecordDelayMillis,
    ),
    metricExportIntervalMillis,
    flushOnSignals: bool('flushOnSignals', options.flushOnSignals, DEFAULTS.flushOnSignals),
    dumpSignal: signalOrFalse('dumpSignal', options.dumpSignal, DEFAULTS.dumpSignal),
    dumpDirectory: nonEmptyString('dumpDirectory', options.dumpDirectory) ?? join(tmpdir(), 'joblens-dumps'),
    watchdog: {
      enabled: bool('watchdog.enabled', watchdog.enabled, true),
      blockedThresholdMillis: positiveInteger(
        'watchdog.blockedThresholdMillis',
        watchdog.blockedThresholdMillis,
        DEFAULTS.blockedThresholdMillis,
      ),
      captureStack: bool('watchdog.captureStack', watchdog.captureStack, true),
      stackTimeoutMillis: positiveInteger(
        'watchdog.stackTimeoutMillis',
        watchdog.stackTimeoutMillis,
        DEFAULTS.stackTimeoutMillis,
      ),
    },
    diagnostic: {
      enabled: bool('diagnostic.enabled', diagnostic.enabled, env.JOBLENS_DIAGNOSTIC === '1'),
      toggleSignal: signalOrFalse('diagnostic.toggleSignal', diagnostic.toggleSignal, false),
      adminPort,
      adminToken,
    },
    sampling: {
      keepOneInHealthy: positiveInteger(
        'sampling.keepOneInHealthy',
        sampling.keepOneInHealthy,
        DEFAULTS.keepOneInHealthy,
      ),
      slowThresholdMillis: positiveInteger(
        'sampling.slowThresholdMillis',
        sampling.slowThresholdMillis,
        DEFAULTS.slowThresholdMillis,
      ),
      gapThresholdMillis: positiveInteger(
        'sampling.gapThresholdMillis',
        sampling.gapThresholdMillis,
        DEFAULTS.gapThresholdMillis,
      ),
      maxSpansPerAttempt: positiveInteger(
        'sampling.maxSpansPerAttempt',
        sampling.maxSpansPerAttempt,
        DEFAULTS.maxSpansPerAttempt,
      ),
    },
    maxQueueSize: positiveInteger('maxQueueSize', options.maxQueueSize, DEFAULTS.maxQueueSize),
    onError: options.onError ?? createDefaultOnError(),
    prometheusPort: port('prometheusPort', options.prometheusPort),
    spanExporter: pluggable<SpanExporter>('spanExporter', options.spanExporter, ['export', 'shutdown']),
    logRecordExporter: pluggable<LogRecordExporter>('logRecordExporter', options.logRecordExporter, [
      'export',
      'shutdown',
    ]),
    metricReader: pluggable<MetricReader>('metricReader', options.metricReader, ['collect', 'shutdown']),
  };
}
