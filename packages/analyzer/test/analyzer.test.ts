import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ATTR_EVENT_NAME,
  ATTR_HOST_NAME,
  ATTR_JOB_ATTEMPT,
  ATTR_JOB_ID,
  ATTR_JOB_NAME,
  ATTR_JOB_OUTCOME,
  ATTR_MESSAGING_DESTINATION_NAME,
  ATTR_MESSAGING_OPERATION_TYPE,
  ATTR_MESSAGING_SYSTEM,
  ATTR_QUEUE_STATE,
  ATTR_SERVICE_INSTANCE_ID,
  ATTR_SERVICE_NAME,
  ATTR_STEP_NAME,
  attemptSpanName,
  LOG_JOB_STARTED,
  MESSAGING_OPERATION_PROCESS,
  MESSAGING_SYSTEM_GENERIC,
  METRIC_QUEUE_DEPTH,
  METRIC_WORKER_HEARTBEATS,
} from '@joblens/semconv';
import { ROOT_CONTEXT, SpanKind, trace } from '@opentelemetry/api';
import { OTLPLogExporter } from '@opentelemetry/exporter-logs-otlp-proto';
import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AnalyzerHandle, type AnalyzerUrls, createAnalyzer } from '../src/analyzer.js';
import type { Finding, FindingTransition } from '../src/findings/finding.js';
import { openDatabase } from '../src/store/open-database.js';
import { SqliteFindingStore } from '../src/store/sqlite-finding-store.js';

const TOKEN = 'analyzer-test-token';
const resource = resourceFromAttributes({
  [ATTR_SERVICE_NAME]: 'billing',
  [ATTR_SERVICE_INSTANCE_ID]: 'worker-1',
  [ATTR_HOST_NAME]: 'host-a',
});

let dataDir: string;
let analyzer: AnalyzerHandle;
let urls: AnalyzerUrls;
let webhook: Server;
/** Bodies the webhook accepted; it answers 503 to the first two requests, as a flaky receiver would. */
const alertsReceived: Array<{ text: string; joblens: { finding: Finding; transition: FindingTransition } }> =
  [];

async function startFlakyWebhook(): Promise<string> {
  let requests = 0;
  webhook = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', () => {
      requests++;
      if (requests <= 2) {
        res.writeHead(503).end();
        return;
      }
      alertsReceived.push(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((r) => webhook.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(webhook.address() as AddressInfo).port}/hook`;
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'joblens-analyzer-'));
  analyzer = createAnalyzer({
    port: 0,
    otlpPort: 0,
    dataDir,
    token: TOKEN,
    alertWebhookUrl: await startFlakyWebhook(),
    evaluationIntervalMillis: 100,
    detectors: {
      mystery_gap: { gapThresholdSeconds: 1, settleSeconds: 0.05 },
      silent_job: { silenceThresholdSeconds: 2 },
    },
  });
  urls = await analyzer.start();
});

afterAll(async () => {
  await analyzer?.stop();
  await new Promise((r) => webhook?.close(r));
  rmSync(dataDir, { recursive: true, force: true });
});

const api = (path: string, token: string | null = TOKEN) =>
  fetch(`${urls.apiUrl}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });

async function findingsOf(query: string): Promise<Finding[]> {
  return ((await (await api(`/api/findings?${query}`)).json()) as { findings: Finding[] }).findings;
}

async function eventually<T>(read: () => Promise<T | undefined>, what: string): Promise<T> {
  for (let i = 0; i < 100; i++) {
    const value = await read();
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** Sends one finished attempt of `render` with 3 s of silence between its fetch and upload steps. */
async function sendAttemptWithGap(): Promise<void> {
  const exporter = new OTLPTraceExporter({
    url: `${urls.otlpUrl}/v1/traces`,
    headers: { authorization: `Bearer ${TOKEN}` },
    compression: 'gzip' as never,
  });
  // One export for the attempt and its steps: with an export per span, the three requests raced, and
  // an attempt that arrived before its upload step showed a gap to its end, then (once the step came)
  // another gap under another key, which opened a second finding on a busy machine.
  const provider = new BasicTracerProvider({ resource, spanProcessors: [new BatchSpanProcessor(exporter)] });
  const tracer = provider.getTracer('analyzer-test');
  const t0 = Date.now() - 10_000;
  const attempt = tracer.startSpan(attemptSpanName('invoices'), {
    kind: SpanKind.CONSUMER,
    startTime: t0,
    attributes: {
      [ATTR_MESSAGING_SYSTEM]: MESSAGING_SYSTEM_GENERIC,
      [ATTR_MESSAGING_OPERATION_TYPE]: MESSAGING_OPERATION_PROCESS,
      [ATTR_MESSAGING_DESTINATION_NAME]: 'invoices',
      [ATTR_JOB_ID]: 'job-42',
      [ATTR_JOB_NAME]: 'render',
      [ATTR_JOB_ATTEMPT]: 1,
      [ATTR_JOB_OUTCOME]: 'completed',
    },
  });
  const inAttempt = trace.setSpan(ROOT_CONTEXT, attempt);
  for (const [name, start, end] of [
    ['fetch', 0, 200],
    ['upload', 3200, 3400],
  ] as const) {
    tracer
      .startSpan(name, { startTime: t0 + start, attributes: { [ATTR_STEP_NAME]: name } }, inAttempt)
      .end(t0 + end);
  }
  attempt.end(t0 + 3500);
  await provider.forceFlush();
  await provider.shutdown();
}

/** Sends a `job started` log record 20 s old for a job that never says anything again. */
async function sendSilentJobStart(): Promise<void> {
  const exporter = new OTLPLogExporter({
    url: `${urls.otlpUrl}/v1/logs`,
    headers: { authorization: `Bearer ${TOKEN}` },
  });
  const provider = new LoggerProvider({ resource, processors: [new SimpleLogRecordProcessor({ exporter })] });
  const context = trace.setSpanContext(ROOT_CONTEXT, {
    traceId: 'c'.repeat(32),
    spanId: 'd'.repeat(16),
    traceFlags: 1,
  });
  provider.getLogger('analyzer-test').emit({
    timestamp: Date.now() - 20_000,
    body: 'job started',
    context,
    attributes: {
      [ATTR_EVENT_NAME]: LOG_JOB_STARTED,
      [ATTR_MESSAGING_DESTINATION_NAME]: 'invoices',
      [ATTR_JOB_ID]: 'job-hangs',
      [ATTR_JOB_NAME]: 'render',
      [ATTR_JOB_ATTEMPT]: 1,
    },
  });
  await provider.forceFlush();
  await provider.shutdown();
}

/** Sends one heartbeat and a queue depth reading through the official metrics exporter. */
async function sendWorkerMetrics(): Promise<void> {
  const exporter = new OTLPMetricExporter({
    url: `${urls.otlpUrl}/v1/metrics`,
    headers: { authorization: `Bearer ${TOKEN}` },
  });
  const reader = new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 60_000 });
  const provider = new MeterProvider({ resource, readers: [reader] });
  const meter = provider.getMeter('analyzer-test');
  meter.createCounter(METRIC_WORKER_HEARTBEATS).add(1);
  meter
    .createObservableGauge(METRIC_QUEUE_DEPTH)
    .addCallback((result) =>
      result.observe(7, { [ATTR_MESSAGING_DESTINATION_NAME]: 'invoices', [ATTR_QUEUE_STATE]: 'waiting' }),
    );
  await provider.forceFlush();
  await provider.shutdown();
}

describe('the analyzer, end to end', () => {
  it('turns an attempt with a silent stretch, sent by the official exporter, into a mystery_gap finding', async () => {
    await sendAttemptWithGap();
    const [gap] = await eventually(async () => {
      const found = await findingsOf('type=mystery_gap');
      return found.length ? found : undefined;
    }, 'a mystery_gap finding');
    expect(gap).toMatchObject({
      type: 'mystery_gap',
      status: 'open',
      subject: { service: 'billing', queue: 'invoices', jobName: 'render' },
    });
    expect(gap.evidence.traces.length).toBeGreaterThan(0);

    expect((await findingsOf('service=billing&status=open')).map((f) => f.id)).toContain(gap.id);
    expect(await findingsOf('service=somebody-else')).toEqual([]);
    expect(await findingsOf('status=resolved')).toEqual([]);

    const detail = (await (await api(`/api/findings/${gap.id}`)).json()) as {
      finding: Finding;
      transitions: FindingTransition[];
    };
    expect(detail.finding.id).toBe(gap.id);
    expect(detail.transitions).toMatchObject([{ findingId: gap.id, from: null, to: 'open' }]);
  });

  it('finds a job that went silent from its log records alone, before it ends', async () => {
    await sendSilentJobStart();
    const [silent] = await eventually(async () => {
      const found = await findingsOf('type=silent_job');
      return found.length ? found : undefined;
    }, 'a silent_job finding');
    expect(silent.subject).toMatchObject({ service: 'billing', queue: 'invoices', jobId: 'job-hangs' });
  });

  it('posts the opening to the alert webhook, retrying while it fails', async () => {
    const alert = await eventually(
      async () => alertsReceived.find((a) => a.joblens.finding.type === 'mystery_gap'),
      'the alert',
    );
    expect(alert.text).toMatch(/^\[(INFO|WARNING|CRITICAL)\] mystery_gap opened \(billing\/invoices/);
    expect(alert.joblens.transition).toMatchObject({ from: null, to: 'open' });
    const text = await (await api('/metrics')).text();
    expect(text).toMatch(/joblens_analyzer_alerts_total\{result="retried"\} 2/);
    expect(text).toMatch(/joblens_analyzer_alerts_total\{result="sent"\} [1-9]/);
  });

  it('shows worker heartbeats and queue depth from the metrics exporter on /metrics', async () => {
    await sendWorkerMetrics();
    const text = await eventually(async () => {
      const body = await (await api('/metrics')).text();
      return body.includes('joblens_analyzer_queue_depth{') ? body : undefined;
    }, 'queue depth on /metrics');
    expect(text).toContain(
      'joblens_analyzer_queue_depth{service="billing",queue="invoices",state="waiting"} 7',
    );
    expect(text).toMatch(
      /joblens_worker_heartbeat_age_seconds\{service="billing",worker="worker-1",host="host-a"\} \d/,
    );
  });

  it('lists the worker it heard from', async () => {
    const { workers } = (await (await api('/api/workers')).json()) as {
      workers: Array<{ worker: string; host: string }>;
    };
    expect(workers).toContainEqual(
      expect.objectContaining({ worker: 'worker-1', host: 'host-a', service: 'billing' }),
    );
  });

  it('serves every name of the metrics contract on /metrics', async () => {
    const text = await (await api('/metrics')).text();
    for (const name of [
      'joblens_findings_open',
      'joblens_findings_opened_total',
      'joblens_worker_heartbeat_age_seconds',
      'joblens_worker_active_jobs',
      'joblens_worker_job_share',
      'joblens_queue_imbalance_ratio',
      'joblens_analyzer_queue_depth',
      'joblens_analyzer_queue_oldest_ready_age_seconds',
      'joblens_job_attempts_total',
      'joblens_job_retries_total',
      'joblens_job_duration_seconds',
      'joblens_job_gap_seconds',
      'joblens_analyzer_received_items_total',
      'joblens_analyzer_rejected_items_total',
      'joblens_analyzer_decode_errors_total',
      'joblens_analyzer_detector_errors_total',
      'joblens_analyzer_detector_evaluation_seconds',
      'joblens_analyzer_window_items',
      'joblens_analyzer_store_operation_seconds',
      'joblens_analyzer_alerts_total',
    ]) {
      expect(text, name).toContain(`# TYPE ${name} `);
    }
    expect(text).toMatch(
      /joblens_findings_open\{type="mystery_gap",severity="\w+",service="billing",queue="invoices",worker="[^"]*"\} 1/,
    );
    expect(text).toContain('joblens_findings_opened_total{type="mystery_gap"} 1');
    expect(text).toContain(
      'joblens_job_attempts_total{service="billing",queue="invoices",job_name="render",outcome="completed"} 1',
    );
    // The attempt's 3 s silence between fetch and upload lands between the 2 s and 5 s bounds.
    const job = 'service="billing",queue="invoices",job_name="render"';
    expect(text).toContain(`joblens_job_gap_seconds_bucket{le="2",${job}} 0`);
    expect(text).toContain(`joblens_job_gap_seconds_bucket{le="5",${job}} 1`);
    expect(text).toContain(`joblens_job_duration_seconds_count{${job}} 1`);
    expect(text).toMatch(/joblens_analyzer_received_items_total\{signal="traces"\} 3/);
    expect(text).toMatch(/joblens_analyzer_received_items_total\{signal="logs"\} 1/);
  });

  it('refuses ingest, the API, the page and /metrics without the token, and keeps /healthz open', async () => {
    const ingest = await fetch(`${urls.otlpUrl}/v1/traces`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(ingest.status).toBe(401);
    for (const path of ['/api/findings', '/api/workers', '/metrics', '/']) {
      const response = await api(path, null);
      expect(response.status, path).toBe(401);
      expect(await response.json(), path).toHaveProperty('error');
    }
    expect((await api('/api/findings', 'not-the-token')).status).toBe(401);
    const health = await api('/healthz', null);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ ok: true, store: { ok: true }, counts: { openFindings: 2 } });
  });

  it('answers unknown finding ids with a JSON 404', async () => {
    const response = await api('/api/findings/does-not-exist');
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ error: 'no finding with id does-not-exist' });
  });
});

describe('createAnalyzer configuration', () => {
  it('names the field, the expectation and the value of a bad detector threshold', () => {
    expect(() =>
      createAnalyzer({ dataDir: ':memory:', detectors: { mystery_gap: { gapThresholdSeconds: 'abc' } } }),
    ).toThrow('config: detectors.mystery_gap.gapThresholdSeconds must be a positive number, got "abc"');
    expect(() => createAnalyzer({ dataDir: ':memory:', detectors: { mystery: {} } })).toThrow(
      /config: detectors\.mystery is not a detector/,
    );
  });
});

describe('back pressure', () => {
  it('refuses telemetry with 503 and Retry-After while the store cannot save, and says so on /healthz', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'joblens-failing-store-'));
    const db = openDatabase(dir);
    const failing = createAnalyzer(
      {
        port: 0,
        otlpPort: 0,
        dataDir: ':memory:',
        evaluationIntervalMillis: 50,
        detectors: { silent_job: { silenceThresholdSeconds: 1 } },
      },
      { store: new SqliteFindingStore(db) },
    );
    try {
      const { otlpUrl, apiUrl } = await failing.start();
      const post = (body: unknown) =>
        fetch(`${otlpUrl}/v1/logs`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });
      expect((await post(startedLogRequest())).status).toBe(200);
      db.close(); // the disk is gone: every save and read now throws
      const refused = await eventually(async () => {
        const response = await post({});
        return response.status === 503 ? response : undefined;
      }, 'a 503');
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
      const health = await fetch(`${apiUrl}/healthz`);
      expect(health.status).toBe(503);
      expect(await health.json()).toMatchObject({ ok: false, store: { ok: false } });
    } finally {
      await failing.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

/** OTLP/JSON logs request with one `job started` record 10 s old. */
function startedLogRequest(): unknown {
  const kv = (key: string, value: string) => ({ key, value: { stringValue: value } });
  return {
    resourceLogs: [
      {
        resource: { attributes: [kv(ATTR_SERVICE_NAME, 'mail'), kv(ATTR_SERVICE_INSTANCE_ID, 'w-9')] },
        scopeLogs: [
          {
            logRecords: [
              {
                timeUnixNano: `${Date.now() - 10_000}000000`,
                traceId: 'e'.repeat(32),
                spanId: 'f'.repeat(16),
                attributes: [
                  kv(ATTR_EVENT_NAME, LOG_JOB_STARTED),
                  kv(ATTR_MESSAGING_DESTINATION_NAME, 'outbox'),
                  kv(ATTR_JOB_ID, 'job-1'),
                  kv(ATTR_JOB_NAME, 'send'),
                ],
              },
            ],
          },
        ],
      },
    ],
  };
}
