import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type AnalyzerHandle, createAnalyzer, DETECTOR_DEFAULTS, loadConfig } from '@joblens/analyzer';
import {
  METRIC_ACTIVE_JOBS,
  METRIC_CONSUMED_MESSAGES,
  METRIC_EVENT_LOOP_DELAY_MAX,
  METRIC_EVENT_LOOP_DELAY_P99,
  METRIC_EVENT_LOOP_UTILIZATION,
  METRIC_JOB_OUTCOMES,
  METRIC_LAST_SUCCESS_TIME,
  METRIC_MAX_SILENCE,
  METRIC_OLDEST_ACTIVE_AGE,
  METRIC_PROCESS_DURATION,
  METRIC_QUEUE_DEPTH,
  METRIC_QUEUE_OLDEST_READY_AGE,
  METRIC_WORKER_HEARTBEATS,
} from '@joblens/semconv';
import { ensurePrometheus } from '@joblens/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import {
  checksWithoutData,
  dashboardAndRuleChecks,
  ruleHealth,
  variablesWithoutValues,
} from './dashboard-checks.js';
import { type DemoWorkerProcess, startDemoWorker } from './demo-worker-process.js';
import { freePort } from './free-port.js';
import { type PrometheusProcess, startPrometheus } from './prometheus-process.js';
import { repoPath } from './repo-files.js';

// One machine, no Collector: a real analyzer, three real instrumented workers (the compose demo worker)
// scraped on the SDK's own Prometheus endpoint, and a real Prometheus loading the repository's rules.
// Every dashboard panel query and every recording rule must return data while the faults run.

const SERVICE = `live-demo-${process.pid}`;
const RULE_FILES = [
  repoPath('prometheus/rules/joblens-recording.yml'),
  repoPath('prometheus/rules/joblens-alerts.yml'),
];
let analyzer: AnalyzerHandle;
let workers: DemoWorkerProcess[] = [];
let prometheus: PrometheusProcess | undefined;
let configDir: string;

beforeAll(async () => {
  const bins = await ensurePrometheus();
  configDir = mkdtempSync(join(tmpdir(), 'joblens-live-'));
  const configFile = join(configDir, 'analyzer.yaml');
  writeFileSync(
    configFile,
    stringify({
      detectors: { mystery_gap: { gapThresholdSeconds: 2, settleSeconds: 1 } },
      monitors: [
        {
          slug: 'live-report',
          service: SERVICE,
          jobName: 'nightly-report',
          periodSeconds: 3,
          graceSeconds: 2,
        },
      ],
    }),
  );
  analyzer = createAnalyzer(
    loadConfig({
      flags: { config: configFile, 'otlp-port': '0', port: '0', 'data-dir': ':memory:', host: '127.0.0.1' },
      env: {},
      detectorDefaults: DETECTOR_DEFAULTS,
    }),
  );
  const { otlpUrl, apiUrl } = await analyzer.start();

  const fleet: { instanceId: string; env: Record<string, string> }[] = [
    {
      instanceId: 'live-w1',
      env: {
        JOBLENS_DEMO_RATE_PER_SECOND: '8',
        JOBLENS_DEMO_CONCURRENCY: '4',
        JOBLENS_DEMO_FAULTS: 'flaky,hang',
      },
    },
    {
      instanceId: 'live-w2',
      env: {
        JOBLENS_DEMO_RATE_PER_SECOND: '1',
        JOBLENS_DEMO_SCHEDULED_JOB: 'nightly-report',
        JOBLENS_DEMO_SCHEDULED_PERIOD_SECONDS: '1',
      },
    },
    {
      instanceId: 'live-w3',
      env: { JOBLENS_DEMO_RATE_PER_SECOND: '1', JOBLENS_DEMO_FAULTS: 'block,poison' },
    },
  ];
  for (const worker of fleet) {
    workers.push(
      startDemoWorker({
        ...worker,
        prometheusPort: await freePort(),
        otlpEndpoint: otlpUrl,
        serviceName: SERVICE,
      }),
    );
  }

  // No target labels: the SDK's own endpoint puts the worker's resource (service_name,
  // service_instance_id, host_name) on every series, as prometheus/prometheus.yml says.
  prometheus = await startPrometheus(
    bins.prometheus,
    [
      { job: 'joblens-analyzer', address: new URL(apiUrl).host },
      ...workers.map((worker) => ({ job: 'joblens-workers', address: `127.0.0.1:${worker.prometheusPort}` })),
    ],
    RULE_FILES,
  );
}, 60_000);

afterAll(async () => {
  await Promise.all(workers.map((worker) => worker.stop()));
  workers = [];
  await prometheus?.stop();
  await analyzer?.stop();
  if (configDir) rmSync(configDir, { recursive: true, force: true });
});

describe('the dashboards and recording rules against a live analyzer and live workers', () => {
  it('gets data from every dashboard panel query and every recording rule while faults run', async () => {
    const all = dashboardAndRuleChecks('15s');
    expect(all.length).toBeGreaterThan(30);
    const empty = await checksWithoutData(prometheus!, all, Date.now() + 80_000);
    expect(empty, 'queries that returned no data (broken panels)').toEqual([]);
  }, 100_000);

  it('fills every dashboard variable from the live series', async () => {
    expect(await variablesWithoutValues(prometheus!)).toEqual([]);
  });

  it('evaluates every recording and alert rule without an error', async () => {
    const { loaded, failing } = await ruleHealth(prometheus!);
    expect(loaded).toBeGreaterThan(15);
    expect(failing).toEqual([]);
  });

  it('exposes worker metrics under the names the Collector is configured to produce', async () => {
    // The contract of docs/deployment.md: dots become underscores, `_total` on counters, no unit suffix.
    const expected: Record<string, string> = {
      [METRIC_WORKER_HEARTBEATS]: 'counter',
      [METRIC_JOB_OUTCOMES]: 'counter',
      [METRIC_CONSUMED_MESSAGES]: 'counter',
      [METRIC_PROCESS_DURATION]: 'histogram',
      [METRIC_LAST_SUCCESS_TIME]: 'gauge',
      [METRIC_ACTIVE_JOBS]: 'gauge',
      [METRIC_OLDEST_ACTIVE_AGE]: 'gauge',
      [METRIC_MAX_SILENCE]: 'gauge',
      [METRIC_QUEUE_DEPTH]: 'gauge',
      [METRIC_QUEUE_OLDEST_READY_AGE]: 'gauge',
      [METRIC_EVENT_LOOP_DELAY_P99]: 'gauge',
      [METRIC_EVENT_LOOP_DELAY_MAX]: 'gauge',
      [METRIC_EVENT_LOOP_UTILIZATION]: 'gauge',
    };
    const exposed = new Map<string, string>();
    for (const worker of workers) {
      const text = await (await fetch(`http://127.0.0.1:${worker.prometheusPort}/metrics`)).text();
      for (const [, name, type] of text.matchAll(/^# TYPE (\S+) (\S+)$/gm)) exposed.set(name, type);
    }
    for (const [otelName, type] of Object.entries(expected)) {
      const name = otelName.replace(/[^a-zA-Z0-9_]/g, '_') + (type === 'counter' ? '_total' : '');
      expect(exposed.get(name), `${otelName} exposed as ${name}`).toBe(type);
    }
  });
});
