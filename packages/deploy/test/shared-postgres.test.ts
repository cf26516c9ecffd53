import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type AnalyzerHandle, createAnalyzer } from '@joblens/analyzer';
import { ATTR_JOB_ID } from '@joblens/semconv';
import { createTestDatabase, type TestDatabase } from '@joblens/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTraceIdRing } from '../src/trace-id-ring.js';
import { fleetTelemetry, NOW, split } from './fleet-telemetry.js';

// docs/scale-out.md: analyzers behind the Collector's loadbalancing exporter share one PostgreSQL database.
// Two real analyzers on the real PostgreSQL, each fed its shard of the fleet the way the gateway splits it
// (spans and logs by trace id, every metric to both), must list the same findings, alert once per
// transition, share monitors and find every job, wherever its telemetry went.

const TOKEN = 'shared-postgres-test-token';
const BACKENDS = ['analyzer-1', 'analyzer-2'];
const auth = { authorization: `Bearer ${TOKEN}` };

interface Delivery {
  kind: string;
  findingId: string;
}

/** A webhook receiver that records what each delivery was about. */
async function startWebhookReceiver(): Promise<{ server: Server; url: string; deliveries: Delivery[] }> {
  const deliveries: Delivery[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => {
      body += chunk;
    });
    req.on('end', () => {
      const event = JSON.parse(body) as { kind: string; finding: { id: string } };
      deliveries.push({ kind: event.kind, findingId: event.finding.id });
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, deliveries };
}

async function until(condition: () => boolean | Promise<boolean>, what: string, millis = 20_000) {
  const deadline = Date.now() + millis;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('two analyzers on one PostgreSQL database', () => {
  let database: TestDatabase;
  let webhook: Awaited<ReturnType<typeof startWebhookReceiver>>;
  const analyzers: AnalyzerHandle[] = [];
  const apiUrls: string[] = [];
  let now = NOW;
  const telemetry = fleetTelemetry();
  const ring = createTraceIdRing(BACKENDS);
  const shards = split(telemetry, BACKENDS, (traceId, index) =>
    traceId ? ring.endpointFor(traceId) : BACKENDS[index % BACKENDS.length],
  );

  const get = async (index: number, path: string) => {
    const response = await fetch(`${apiUrls[index]}${path}`, { headers: auth });
    expect(response.status, path).toBe(200);
    return (await response.json()) as Record<string, unknown>;
  };
  const findingIds = async (index: number) =>
    ((await get(index, '/api/findings?status=open')).findings as { id: string }[]).map((f) => f.id).sort();
  const evaluateBoth = async () => {
    for (const analyzer of analyzers) await analyzer.evaluateNow();
  };

  beforeAll(async () => {
    database = await createTestDatabase();
    webhook = await startWebhookReceiver();
    for (const _backend of BACKENDS) {
      const analyzer = createAnalyzer(
        {
          port: 0,
          otlpPort: 0,
          dataDir: ':memory:',
          databaseUrl: database.url,
          token: TOKEN,
          alerts: {
            channels: [
              { name: 'hook', type: 'webhook', url: webhook.url, secret: 'a-webhook-secret-of-some-length' },
            ],
            routes: [],
            allowPrivateAddresses: true,
            retryForHours: 1,
          },
        },
        { clock: () => now },
      );
      analyzers.push(analyzer);
      apiUrls.push((await analyzer.start()).apiUrl);
    }
    // Received a few seconds before the evaluation, past the time mystery_gap waits for late steps.
    now = NOW - 5_000;
    for (const [index, backend] of BACKENDS.entries()) {
      const shard = shards.get(backend);
      if (!shard) throw new Error(`no shard for ${backend}`);
      analyzers[index].sink.acceptMetrics(shard.metrics);
      analyzers[index].sink.acceptSpans(shard.spans);
      analyzers[index].sink.acceptLogs(shard.logs);
    }
    now = NOW;
    await evaluateBoth();
    await evaluateBoth();
  }, 60_000);

  afterAll(async () => {
    for (const analyzer of analyzers) await analyzer.stop();
    await new Promise((resolve) => webhook?.server.close(resolve));
    await database?.drop();
  });

  it('gives each analyzer a real part of the fleet', () => {
    for (const backend of BACKENDS)
      expect(shards.get(backend)?.spans.length ?? 0).toBeGreaterThan(telemetry.spans.length * 0.25);
  });

  it('lists the same findings on both, one per fault', async () => {
    const [first, second] = [await findingIds(0), await findingIds(1)];
    expect(first).toEqual(second);
    expect(new Set(first).size).toBe(first.length);
    const types = ((await get(0, '/api/findings?status=open')).findings as { type: string }[]).map(
      (f) => f.type,
    );
    for (const type of ['runaway_retries', 'mystery_gap', 'silent_job', 'event_loop_blocked'])
      expect(types, type).toContain(type);
  });

  it('sends one alert per opened finding, though two analyzers deliver from one outbox', async () => {
    const open = await findingIds(0);
    await until(
      () => open.every((id) => webhook.deliveries.some((d) => d.kind === 'opened' && d.findingId === id)),
      'every opened finding is delivered',
    );
    // Both delivery loops keep polling; give a second delivery the time to happen if it were going to.
    await new Promise((resolve) => setTimeout(resolve, 3000));
    for (const id of open)
      expect(
        webhook.deliveries.filter((d) => d.kind === 'opened' && d.findingId === id),
        id,
      ).toHaveLength(1);
  });

  it('shares a monitor: created on one, pinged through the other, up on both', async () => {
    const created = await fetch(`${apiUrls[0]}/api/monitors`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ slug: 'nightly-export', periodSeconds: 3600, graceSeconds: 600 }),
    });
    expect(created.status).toBe(201);
    expect((await fetch(`${apiUrls[1]}/ping/nightly-export`, { method: 'POST', headers: auth })).status).toBe(
      200,
    );
    await evaluateBoth();
    for (const index of [0, 1]) {
      const { monitor } = (await get(index, '/api/monitors/nightly-export')) as {
        monitor: { state: string };
      };
      expect(monitor.state, `on analyzer ${index + 1}`).toBe('up');
    }
    now += 30 * 60_000;
    await evaluateBoth();
    for (const index of [0, 1]) {
      const { monitors } = (await get(index, '/api/monitors')) as {
        monitors: { slug: string; state: string }[];
      };
      expect(
        monitors.filter((m) => m.state === 'down'),
        `on analyzer ${index + 1}`,
      ).toEqual([]);
    }
  });

  it('finds on both analyzers a job whose telemetry reached only one', async () => {
    const poison = telemetry.spans.find((span) => span.attributes[ATTR_JOB_ID] === 'import-42');
    if (!poison) throw new Error('the fleet has no poison job');
    const holder = BACKENDS.indexOf(ring.endpointFor(poison.traceId));
    expect(holder).toBeGreaterThanOrEqual(0);
    // The history writer waits for an attempt's steps to settle before it writes the attempt.
    now += 60_000;
    for (const index of [0, 1]) {
      await until(
        async () => {
          const { jobs } = (await get(index, '/api/jobs?id=import-42')) as { jobs: unknown[] };
          return jobs.length === 1;
        },
        `analyzer ${index + 1} finds import-42`,
      );
      const { jobs } = (await get(index, '/api/jobs?id=import-42')) as {
        jobs: { latestTraceId: string; attempts: number }[];
      };
      expect(jobs[0].latestTraceId).toBe(poison.traceId);
      expect(jobs[0].attempts).toBe(8);
    }
  });
});
