import {
  ATTR_EVENT_NAME,
  ATTR_JOB_ATTEMPT,
  ATTR_JOB_ID,
  ATTR_LINK_TYPE,
  ATTR_MESSAGING_DESTINATION_NAME,
  ATTR_SERVICE_NAME,
  ATTR_STEP_NAME,
  EVENT_JOB_STARTED,
  LOG_JOB_STARTED,
  LOG_JOB_STILL_RUNNING,
  METRIC_ACTIVE_JOBS,
  METRIC_JOB_OUTCOMES,
  METRIC_PROCESS_DURATION,
} from '@joblens/semconv';
import { context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { OTLPLogExporter as JsonLogExporter } from '@opentelemetry/exporter-logs-otlp-http';
import { OTLPLogExporter as ProtoLogExporter } from '@opentelemetry/exporter-logs-otlp-proto';
import { OTLPMetricExporter as JsonMetricExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import { OTLPMetricExporter as ProtoMetricExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
import { OTLPTraceExporter as JsonTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as ProtoTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { InMemoryLogRecordExporter, LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type RunningReceiver, startReceiver } from './fixtures/start-receiver.js';

// ExportResultCode.SUCCESS of @opentelemetry/core, which is not a direct dependency here.
const SUCCESS = 0;

const resource = resourceFromAttributes({
  [ATTR_SERVICE_NAME]: 'billing-worker',
  'service.instance.id': 'worker-7',
  'host.name': 'box-3',
});

interface Exporter<T> {
  export(items: T, done: (result: { code: number; error?: Error }) => void): void;
  shutdown(): Promise<void>;
}

async function exportWith<T>(exporter: Exporter<T>, items: T): Promise<{ code: number; error?: Error }> {
  const result = await new Promise<{ code: number; error?: Error }>((resolve) =>
    exporter.export(items, resolve),
  );
  await exporter.shutdown();
  return result;
}

/** A producer span, an attempt span linked to it (event, attributes, error status) and a step child. */
function makeSpans() {
  const memory = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ resource, spanProcessors: [new SimpleSpanProcessor(memory)] });
  const tracer = provider.getTracer('@joblens/sdk');
  const producer = tracer.startSpan('send invoices', { kind: SpanKind.PRODUCER });
  producer.end();
  const attempt = tracer.startSpan('process invoices', {
    kind: SpanKind.CONSUMER,
    attributes: { [ATTR_MESSAGING_DESTINATION_NAME]: 'invoices', [ATTR_JOB_ID]: '42', [ATTR_JOB_ATTEMPT]: 2 },
    links: [{ context: producer.spanContext(), attributes: { [ATTR_LINK_TYPE]: 'producer' } }],
  });
  attempt.addEvent(EVENT_JOB_STARTED, { 'joblens.job.queue_wait': 1.5 });
  const step = tracer.startSpan(
    'fetch',
    { attributes: { [ATTR_STEP_NAME]: 'fetch', tags: ['a', 'b'] } },
    trace.setSpan(context.active(), attempt),
  );
  step.end();
  attempt.setStatus({ code: SpanStatusCode.ERROR, message: 'boom' });
  attempt.end();
  return { spans: memory.getFinishedSpans(), producer, attempt, step };
}

function makeLogs() {
  const memory = new InMemoryLogRecordExporter();
  const provider = new LoggerProvider({
    resource,
    processors: [new SimpleLogRecordProcessor({ exporter: memory })],
  });
  const logger = provider.getLogger('@joblens/sdk');
  const tracer = new BasicTracerProvider({ resource }).getTracer('t');
  const span = tracer.startSpan('process invoices');
  const inSpan = trace.setSpan(context.active(), span);
  logger.emit({
    eventName: LOG_JOB_STARTED,
    body: 'job 42 started',
    attributes: { [ATTR_JOB_ID]: '42' },
    context: inSpan,
  });
  logger.emit({
    body: { step: 'fetch', silence: 12.5 },
    severityNumber: 13,
    severityText: 'WARN',
    attributes: { [ATTR_EVENT_NAME]: LOG_JOB_STILL_RUNNING },
    context: inSpan,
  });
  return { logs: memory.getFinishedLogRecords(), span };
}

class CollectingReader extends MetricReader {
  protected override async onForceFlush(): Promise<void> {}
  protected override async onShutdown(): Promise<void> {}
}

async function makeMetrics() {
  const reader = new CollectingReader();
  const provider = new MeterProvider({ resource, readers: [reader] });
  const meter = provider.getMeter('@joblens/sdk');
  meter.createCounter(METRIC_JOB_OUTCOMES).add(3, { 'joblens.job.outcome': 'completed' });
  meter.createGauge(METRIC_ACTIVE_JOBS).record(5, { 'messaging.destination.name': 'invoices' });
  const histogram = meter.createHistogram(METRIC_PROCESS_DURATION, { unit: 's' });
  histogram.record(0.5);
  histogram.record(7);
  const { resourceMetrics } = await reader.collect();
  return resourceMetrics;
}

const variants = [
  { label: 'protobuf', gzip: false },
  { label: 'protobuf with gzip (what the Collector sends)', gzip: true },
  { label: 'JSON', gzip: false },
  { label: 'JSON with gzip', gzip: true },
] as const;

describe('the receiver with the official OpenTelemetry JS exporters', () => {
  let receiver: RunningReceiver;
  beforeAll(async () => {
    receiver = await startReceiver();
  });
  afterAll(() => receiver.close());
  beforeEach(() => {
    receiver.sink.spans.length = 0;
    receiver.sink.logs.length = 0;
    receiver.sink.points.length = 0;
  });

  for (const variant of variants) {
    const json = variant.label.startsWith('JSON');
    const config = (signal: string) => ({
      url: `${receiver.url}/v1/${signal}`,
      compression: (variant.gzip ? 'gzip' : 'none') as never,
    });

    it(`receives spans with ids, names, attributes, events, links and status over ${variant.label}`, async () => {
      const { spans, producer, attempt, step } = makeSpans();
      const exporter = json
        ? new JsonTraceExporter(config('traces'))
        : new ProtoTraceExporter(config('traces'));
      const result = await exportWith(exporter, spans);
      expect(result.error).toBeUndefined();
      expect(result.code).toBe(SUCCESS);
      expect(receiver.requests.at(-1)).toEqual({
        contentType: json ? 'application/json' : 'application/x-protobuf',
        contentEncoding: variant.gzip ? 'gzip' : '',
      });
      expect(receiver.sink.spans).toHaveLength(3);
      const got = receiver.sink.spans.find((s) => s.name === 'process invoices')!;
      expect(got.traceId).toBe(attempt.spanContext().traceId);
      expect(got.spanId).toBe(attempt.spanContext().spanId);
      expect(got.parentSpanId).toBe('');
      expect(got.kind).toBe(5);
      expect(got.scopeName).toBe('@joblens/sdk');
      expect(got.resource).toMatchObject({
        serviceName: 'billing-worker',
        serviceInstanceId: 'worker-7',
        hostName: 'box-3',
      });
      expect(got.attributes).toEqual({
        [ATTR_MESSAGING_DESTINATION_NAME]: 'invoices',
        [ATTR_JOB_ID]: '42',
        [ATTR_JOB_ATTEMPT]: 2,
      });
      expect(got.statusCode).toBe(2);
      expect(got.statusMessage).toBe('boom');
      expect(got.endMs).toBeGreaterThanOrEqual(got.startMs);
      expect(Math.abs(got.startMs - Date.now())).toBeLessThan(60_000);
      expect(got.events).toEqual([
        {
          name: EVENT_JOB_STARTED,
          timeMs: expect.any(Number),
          attributes: { 'joblens.job.queue_wait': 1.5 },
        },
      ]);
      expect(got.links).toEqual([
        {
          traceId: producer.spanContext().traceId,
          spanId: producer.spanContext().spanId,
          attributes: { [ATTR_LINK_TYPE]: 'producer' },
        },
      ]);
      const child = receiver.sink.spans.find((s) => s.spanId === step.spanContext().spanId)!;
      expect(child.parentSpanId).toBe(attempt.spanContext().spanId);
      expect(child.attributes).toEqual({ [ATTR_STEP_NAME]: 'fetch', tags: ['a', 'b'] });
      // One resource object shared by every span of the request.
      expect(child.resource).toBe(got.resource);
    });

    it(`receives log records with event names, bodies and trace context over ${variant.label}`, async () => {
      const { logs, span } = makeLogs();
      const exporter = json ? new JsonLogExporter(config('logs')) : new ProtoLogExporter(config('logs'));
      const result = await exportWith(exporter, logs);
      expect(result.code).toBe(SUCCESS);
      const [started, stillRunning] = receiver.sink.logs;
      expect(started).toMatchObject({
        eventName: LOG_JOB_STARTED,
        body: 'job 42 started',
        traceId: span.spanContext().traceId,
        spanId: span.spanContext().spanId,
        attributes: { [ATTR_JOB_ID]: '42' },
        scopeName: '@joblens/sdk',
      });
      expect(Math.abs(started.timeMs - Date.now())).toBeLessThan(60_000);
      expect(stillRunning).toMatchObject({
        eventName: LOG_JOB_STILL_RUNNING,
        body: { step: 'fetch', silence: 12.5 },
        severityNumber: 13,
        severityText: 'WARN',
      });
    });

    it(`receives gauges, sums and histograms over ${variant.label}`, async () => {
      const metrics = await makeMetrics();
      const exporter = json
        ? new JsonMetricExporter(config('metrics'))
        : new ProtoMetricExporter(config('metrics'));
      const result = await exportWith(exporter, metrics);
      expect(result.code).toBe(SUCCESS);
      const byName = new Map(receiver.sink.points.map((p) => [p.name, p]));
      expect(byName.get(METRIC_JOB_OUTCOMES)).toMatchObject({
        kind: 'sum',
        monotonic: true,
        temporality: 2,
        value: 3,
        attributes: { 'joblens.job.outcome': 'completed' },
      });
      expect(byName.get(METRIC_ACTIVE_JOBS)).toMatchObject({ kind: 'gauge', value: 5 });
      const histogram = byName.get(METRIC_PROCESS_DURATION)!;
      expect(histogram).toMatchObject({
        kind: 'histogram',
        unit: 's',
        resource: { serviceName: 'billing-worker' },
      });
      expect(histogram.histogram).toMatchObject({ count: 2, sum: 7.5, min: 0.5, max: 7 });
      expect(histogram.histogram!.bucketCounts.reduce((a, b) => a + b, 0)).toBe(2);
      expect(histogram.histogram!.bucketCounts).toHaveLength(histogram.histogram!.explicitBounds.length + 1);
    });
  }

  it('counts what it received per signal', () => {
    expect(receiver.stats.itemsReceived.traces).toBe(12);
    expect(receiver.stats.requests()).toContainEqual({ signal: 'logs', status: 200, count: 4 });
  });
});
