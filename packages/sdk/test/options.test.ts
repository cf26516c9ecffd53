import { describe, expect, it } from 'vitest';
import type { JoblensOptions } from '../src/interfaces.js';
import { resolveOptions } from '../src/options.js';
import { startJoblens } from '../src/start-joblens.js';

const noEnv = {};

describe('options', () => {
  it('applies the documented defaults', () => {
    const options = resolveOptions({}, noEnv);
    expect(options).toMatchObject({
      stillRunningIntervalMillis: 10_000,
      metricExportIntervalMillis: 10_000,
      exportTimeoutMillis: 5000,
      flushOnSignals: true,
      dumpSignal: 'SIGUSR2',
      watchdog: { enabled: true, blockedThresholdMillis: 1000 },
      diagnostic: { enabled: false, toggleSignal: false },
      sampling: {
        keepOneInHealthy: 1,
        slowThresholdMillis: 10_000,
        gapThresholdMillis: 5000,
        maxSpansPerAttempt: 1000,
      },
      maxQueueSize: 2048,
    });
    expect(options.traces).toEqual({
      url: 'http://localhost:4318/v1/traces',
      protocol: 'http/protobuf',
      headers: {},
    });
    expect(options.serviceInstanceId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('keeps one random service.instance.id for the whole process', () => {
    expect(resolveOptions({}, noEnv).serviceInstanceId).toBe(resolveOptions({}, noEnv).serviceInstanceId);
    expect(resolveOptions({ serviceInstanceId: 'worker-7' }, noEnv).serviceInstanceId).toBe('worker-7');
  });

  it('reads the standard OTEL_EXPORTER_OTLP_* variables, per-signal ones winning over the base', () => {
    const options = resolveOptions(
      {},
      {
        OTEL_SERVICE_NAME: 'billing',
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/',
        OTEL_EXPORTER_OTLP_LOGS_ENDPOINT: 'http://logs:9999/custom',
        OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
        OTEL_EXPORTER_OTLP_METRICS_PROTOCOL: 'http/protobuf',
        OTEL_EXPORTER_OTLP_HEADERS: 'authorization=Bearer%20abc,x-team=jobs',
        OTEL_EXPORTER_OTLP_TRACES_HEADERS: 'x-team=traces',
        OTEL_METRIC_EXPORT_INTERVAL: '2500',
        OTEL_RESOURCE_ATTRIBUTES: 'service.instance.id=from-env',
      },
    );
    expect(options.serviceName).toBe('billing');
    expect(options.serviceInstanceId).toBe('from-env');
    expect(options.traces).toEqual({
      url: 'http://collector:4318/v1/traces',
      protocol: 'http/json',
      headers: { authorization: 'Bearer abc', 'x-team': 'traces' },
    });
    expect(options.logs.url).toBe('http://logs:9999/custom');
    expect(options.metrics.protocol).toBe('http/protobuf');
    expect(options.metricExportIntervalMillis).toBe(2500);
  });

  it('lets an explicit endpoint, protocol and headers win over the environment', () => {
    const options = resolveOptions(
      { endpoint: 'http://127.0.0.1:1234', protocol: 'http/json', headers: { authorization: 'Bearer mine' } },
      {
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://elsewhere:1/v1/traces',
        OTEL_EXPORTER_OTLP_HEADERS: 'authorization=theirs',
      },
    );
    expect(options.traces).toEqual({
      url: 'http://127.0.0.1:1234/v1/traces',
      protocol: 'http/json',
      headers: { authorization: 'Bearer mine' },
    });
  });

  const bad: [string, JoblensOptions, string][] = [
    [
      'stillRunningIntervalMillis',
      { stillRunningIntervalMillis: -5 },
      'joblens: option stillRunningIntervalMillis must be a positive integer, got -5',
    ],
    [
      'metricExportIntervalMillis',
      { metricExportIntervalMillis: 1.5 },
      'joblens: option metricExportIntervalMillis must be a positive integer, got 1.5',
    ],
    [
      'exportTimeoutMillis',
      { exportTimeoutMillis: 0 },
      'joblens: option exportTimeoutMillis must be a positive integer, got 0',
    ],
    [
      'maxQueueSize',
      { maxQueueSize: Number.NaN },
      'joblens: option maxQueueSize must be a positive integer, got NaN',
    ],
    [
      'endpoint',
      { endpoint: 'collector:4318' },
      'joblens: option endpoint must be an http:// or https:// URL, got "collector:4318"',
    ],
    [
      'protocol',
      { protocol: 'grpc' as never },
      'joblens: option protocol must be "http/protobuf" or "http/json", got "grpc"',
    ],
    ['serviceName', { serviceName: '' }, 'joblens: option serviceName must be a non-empty string, got ""'],
    [
      'headers',
      { headers: { authorization: 5 as never } },
      'joblens: option headers.authorization must be a string, got 5',
    ],
    [
      'flushOnSignals',
      { flushOnSignals: 'yes' as never },
      'joblens: option flushOnSignals must be a boolean, got "yes"',
    ],
    [
      'dumpSignal',
      { dumpSignal: 'SIGKILL' },
      'joblens: option dumpSignal must be a signal that can be caught, got "SIGKILL"',
    ],
    ['watchdog', { watchdog: 3 as never }, 'joblens: option watchdog must be an object, got 3'],
    [
      'watchdog.blockedThresholdMillis',
      { watchdog: { blockedThresholdMillis: -1 } },
      'joblens: option watchdog.blockedThresholdMillis must be a positive integer, got -1',
    ],
    [
      'watchdog.stackTimeoutMillis',
      { watchdog: { stackTimeoutMillis: 0 } },
      'joblens: option watchdog.stackTimeoutMillis must be a positive integer, got 0',
    ],
    [
      'diagnostic.adminPort',
      { diagnostic: { adminPort: 70000, adminToken: 't' } },
      'joblens: option diagnostic.adminPort must be an integer port from 0 to 65535, got 70000',
    ],
    [
      'diagnostic.adminToken',
      { diagnostic: { adminPort: 9000 } },
      'joblens: option diagnostic.adminToken must be a non-empty string when diagnostic.adminPort is set, got undefined',
    ],
    [
      'sampling.keepOneInHealthy',
      { sampling: { keepOneInHealthy: 0 } },
      'joblens: option sampling.keepOneInHealthy must be a positive integer, got 0',
    ],
    [
      'sampling.gapThresholdMillis',
      { sampling: { gapThresholdMillis: '5s' as never } },
      'joblens: option sampling.gapThresholdMillis must be a positive integer, got "5s"',
    ],
    [
      'prometheusPort',
      { prometheusPort: -1 },
      'joblens: option prometheusPort must be an integer port from 0 to 65535, got -1',
    ],
    ['onError', { onError: 'log' as never }, 'joblens: option onError must be a function, got "log"'],
    [
      'spanExporter',
      { spanExporter: {} as never },
      'joblens: option spanExporter must be an object with export and shutdown methods, got an object',
    ],
    [
      'resourceAttributes',
      { resourceAttributes: { team: null as never } },
      'joblens: option resourceAttributes.team must be a string, number or boolean, got null',
    ],
  ];

  it.each(bad)(
    'rejects a bad %s at start, naming the option, the expected and the actual value',
    (_name, options, message) => {
      expect(() => startJoblens({ flushOnSignals: false, ...options })).toThrow(message);
    },
  );

  it('rejects a bad environment variable naming it', () => {
    expect(() => resolveOptions({}, { OTEL_METRIC_EXPORT_INTERVAL: 'soon' })).toThrow(
      'joblens: environment variable OTEL_METRIC_EXPORT_INTERVAL must be a positive integer, got "soon"',
    );
    expect(() => resolveOptions({}, { OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' })).toThrow(
      'joblens: environment variable OTEL_EXPORTER_OTLP_PROTOCOL must be "http/protobuf" or "http/json", got "grpc"',
    );
  });

  it('reports unknown options, nested ones included, without refusing to start', async () => {
    const errors: Error[] = [];
    const joblens = startJoblens({
      flushOnSignals: false,
      dumpSignal: false,
      endpoint: 'http://127.0.0.1:9',
      exportTimeoutMillis: 200,
      watchdog: { enabled: false },
      onError: (error) => errors.push(error),
      ...({ stillRunningIntervalMs: 5, sampling: { keepOneIn: 3 } } as object),
    });
    await joblens.shutdown();
    const messages = errors.map((e) => e.message);
    expect(messages).toContain('joblens: unknown option stillRunningIntervalMs is ignored');
    expect(messages).toContain('joblens: unknown option sampling.keepOneIn is ignored');
  });
});
