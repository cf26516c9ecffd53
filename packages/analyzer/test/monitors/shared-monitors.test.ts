import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  createTestDatabase,
  makeAttemptSpan,
  makeResource,
  POSTGRES_ADMIN_URL,
  type TestDatabase,
} from '@joblens/test-utils';
import express from 'express';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { MonitorTransition } from '../../src/monitors/evaluate-monitor.js';
import { alertForMonitorTransition } from '../../src/monitors/monitor-alert.js';
import { monitorFindingDrafts } from '../../src/monitors/monitor-findings.js';
import { MonitorService } from '../../src/monitors/monitor-service.js';
import { monitorRows } from '../../src/monitors/monitor-view.js';
import { createMonitorsApiRouter } from '../../src/monitors/monitors-api-router.js';
import { openMonitorStore } from '../../src/monitors/open-monitor-store.js';
import { createPingRouter } from '../../src/monitors/ping-router.js';
import { openDatabase, type SqliteDatabase } from '../../src/store/open-database.js';
import { openPostgres, type PgPool } from '../../src/store/postgres/open-postgres.js';
import { PostgresAlertOutbox } from '../../src/store/postgres/postgres-alert-outbox.js';
import { feedTelemetry } from './feed-telemetry.js';
import type { MonitorDetailBody } from './monitor-factories.js';

// Two analyzers' monitor services on one PostgreSQL database, each with its own pool and HTTP routes, on
// one injected clock: what the issue asks of monitors shared by several analyzers.

interface Analyzer {
  name: string;
  service: MonitorService;
  base: string;
  /** Transitions this analyzer stored (and so announced). */
  stored: MonitorTransition[];
}

let database: TestDatabase;
let pools: PgPool[];
let sqlite: SqliteDatabase[];
let servers: Server[];
let analyzers: Analyzer[];
let clock: number;
const T0 = Date.parse('2026-06-01T12:00:00Z');

beforeAll(async () => {
  database = await createTestDatabase('joblens_shared_monitors');
});
afterAll(async () => {
  await database?.drop();
});

beforeEach(async () => {
  clock = T0;
  pools = [];
  sqlite = [];
  servers = [];
  analyzers = [];
  // A schema per test: each starts with no monitors and an empty outbox.
  const admin = openPostgres(database.url);
  const schema = `t_${Math.random().toString(36).slice(2, 10)}`;
  await admin.query(`CREATE SCHEMA ${schema}`);
  await admin.end();
  const url = new URL(database.url);
  url.searchParams.set('options', `-c search_path=${schema}`);
  for (const name of ['a', 'b']) analyzers.push(await startAnalyzer(name, url.toString()));
});

afterEach(async () => {
  for (const analyzer of analyzers) await analyzer.service.stop();
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  await Promise.all(pools.map((pool) => pool.end()));
  for (const db of sqlite) db.close();
});

async function startAnalyzer(name: string, url: string): Promise<Analyzer> {
  const pool = openPostgres(url);
  pools.push(pool);
  const db = openDatabase(':memory:');
  sqlite.push(db);
  const stored: MonitorTransition[] = [];
  const service = new MonitorService({
    store: openMonitorStore({ db, pool, outbox: new PostgresAlertOutbox(pool, name) }),
    now: () => clock,
    onTransition: (_monitor, transition) => stored.push(transition),
    // As attachMonitors does, with one channel for every flip.
    alertsFor: (monitor, transitions) =>
      transitions
        .flatMap((t) => alertForMonitorTransition(monitor, t) ?? [])
        .map((event) => ({
          event,
          channels: ['chat'],
          at: clock,
        })),
  });
  await service.start();
  const app = express();
  app.use(createPingRouter(service));
  app.use(createMonitorsApiRouter(service));
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  servers.push(server);
  return { name, service, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, stored };
}

const [a, b] = [0, 1].map((i) => () => analyzers[i]);

async function detail(analyzer: Analyzer, slug: string): Promise<MonitorDetailBody> {
  const res = await fetch(`${analyzer.base}/api/monitors/${slug}`);
  expect(res.status, `GET ${slug} on ${analyzer.name}`).toBe(200);
  return (await res.json()) as MonitorDetailBody;
}

async function create(analyzer: Analyzer, body: Record<string, unknown>): Promise<void> {
  const res = await fetch(`${analyzer.base}/api/monitors`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(res.status).toBe(201);
}

/** Both analyzers' evaluation timers firing at the same instant, several times over. */
async function evaluateTogether(rounds = 3): Promise<void> {
  for (let i = 0; i < rounds; i++) await Promise.all(analyzers.map((analyzer) => analyzer.service.tick()));
}

const downFindings = (analyzer: Analyzer) =>
  monitorFindingDrafts(analyzer.service).map((draft) => draft.subject.monitor);

describe('monitors shared by two analyzers on one PostgreSQL database', () => {
  it('lists a monitor created through one analyzer on both, and a ping through the other brings it up on both', async () => {
    await create(a(), { slug: 'backup', periodSeconds: 3600, graceSeconds: 60 });
    const listed = (await (await fetch(`${b().base}/api/monitors`)).json()) as {
      monitors: Array<{ slug: string }>;
    };
    expect(listed.monitors.map((m) => m.slug)).toEqual(['backup']);

    expect((await fetch(`${b().base}/ping/backup`)).status).toBe(200);
    expect((await detail(a(), 'backup')).monitor.state).toBe('up');
    expect((await detail(b(), 'backup')).monitor.state).toBe('up');
    await evaluateTogether(1);
    expect(
      a()
        .service.snapshot()
        .map((s) => [s.definition.slug, s.evaluation.state]),
    ).toEqual([['backup', 'up']]);
    expect(
      b()
        .service.snapshot()
        .map((s) => [s.definition.slug, s.evaluation.state]),
    ).toEqual([['backup', 'up']]);
  });

  it('counts a telemetry check-in that reaches the analyzer the monitor was not created on', async () => {
    await create(a(), {
      slug: 'nightly',
      periodSeconds: 3600,
      service: 'billing',
      jobName: 'nightly-report',
    });
    await evaluateTogether(1); // b learns of the monitor at its next refresh
    const span = makeAttemptSpan({
      resource: makeResource({ service: 'billing' }),
      jobName: 'nightly-report',
      startMs: clock - 5000,
      durationMs: 5000,
      outcome: 'completed',
    });
    await feedTelemetry(b().service, { spans: [span] });
    const seen = await detail(a(), 'nightly');
    expect(seen.monitor.state).toBe('up');
    expect(seen.pings.map((p) => [p.type, p.source])).toEqual([['success', 'telemetry']]);
  });

  it('takes a silent monitor down once, with one alert, though both analyzers evaluate the deadline', async () => {
    await create(a(), { slug: 'backup', periodSeconds: 60, graceSeconds: 30 });
    expect((await fetch(`${b().base}/ping/backup`)).status).toBe(200);
    await evaluateTogether();

    clock = T0 + 10 * 60_000; // due at 12:01:00, down at 12:01:30
    await evaluateTogether(5);

    const transitions = (await detail(b(), 'backup')).transitions.map((t) => [
      t.to,
      new Date(t.atMs).toISOString(),
    ]);
    expect(transitions).toEqual([
      ['up', '2026-06-01T12:00:00.000Z'],
      ['grace', '2026-06-01T12:01:00.000Z'],
      ['down', '2026-06-01T12:01:30.000Z'],
    ]);
    const announced = [...a().stored, ...b().stored].filter((t) => t.to === 'down');
    expect(announced).toHaveLength(1);
    const outbox = new PostgresAlertOutbox(pools[0], 'reader');
    const alerts = (await outbox.list('pending')).map((entry) => [entry.event.kind, entry.channel]);
    expect(alerts).toEqual([['opened', 'chat']]);
    expect(downFindings(a())).toEqual(['backup']);
    expect(downFindings(b())).toEqual(['backup']);
    // The page's history column, on the analyzer that stored the flips and on the one that only read them.
    for (const analyzer of analyzers)
      expect(
        monitorRows(analyzer.service)[0].history.map((h) => h.to),
        analyzer.name,
      ).toEqual(['up', 'grace', 'down']);
  });

  it('never shows a monitor down on one analyzer when the check-in reached the other in time', async () => {
    await create(a(), { slug: 'backup', periodSeconds: 60, graceSeconds: 30 });
    expect((await fetch(`${a().base}/ping/backup`)).status).toBe(200);
    await evaluateTogether();

    clock = T0 + 80_000; // in grace; the check-in comes through b only
    await evaluateTogether();
    expect((await fetch(`${b().base}/ping/backup`)).status).toBe(200);

    // Past the deadline a's copy knew of: until it looks again, a answers as of its last look, not down.
    clock = T0 + 95_000;
    expect(downFindings(a())).toEqual([]);
    expect(a().service.snapshot()[0].evaluation.state).not.toBe('down');
    await evaluateTogether();
    for (const analyzer of analyzers) {
      expect((await detail(analyzer, 'backup')).monitor.state, analyzer.name).toBe('up');
      expect(downFindings(analyzer), analyzer.name).toEqual([]);
    }
    expect((await detail(a(), 'backup')).transitions.map((t) => t.to)).toEqual(['up', 'grace', 'up']);
    expect([...a().stored, ...b().stored].filter((t) => t.to === 'down')).toEqual([]);
  });

  it('leaves a monitor held by another analyzer to it, and waits its turn for a ping', async () => {
    await create(a(), { slug: 'backup', periodSeconds: 60, graceSeconds: 30 });
    const holder = await pools[0].connect();
    try {
      await holder.query('BEGIN');
      await holder.query("SELECT * FROM monitors WHERE slug = 'backup' FOR UPDATE");
      const store = openMonitorStore({
        db: sqlite[1],
        pool: pools[1],
        outbox: new PostgresAlertOutbox(pools[1], 'b'),
      });
      const skipped = await store.advance(
        'backup',
        [],
        (record) => ({ cursor: record.cursor, transitions: [] }),
        { skipLocked: true },
      );
      expect(skipped).toBeUndefined();
      let pinged = false;
      const ping = b()
        .service.record('backup', { type: 'success', atMs: clock }, { source: 'http' })
        .then((result) => {
          pinged = true;
          return result;
        });
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(pinged).toBe(false);
      await holder.query('COMMIT');
      expect(await ping).toEqual({ ok: true, created: false });
    } finally {
      holder.release();
    }
    expect((await detail(a(), 'backup')).monitor.state).toBe('up');
  });
});

describe('monitors on a PostgreSQL database that is not there at start', () => {
  it('starts anyway and brings the config’s monitors in once the database is there', async () => {
    const name = `joblens_late_${Math.random().toString(36).slice(2, 10)}`;
    const url = new URL(POSTGRES_ADMIN_URL);
    url.pathname = `/${name}`;
    const pool = openPostgres(url.toString());
    const db = openDatabase(':memory:');
    const service = new MonitorService({
      store: openMonitorStore({ db, pool, outbox: new PostgresAlertOutbox(pool, 'late') }),
      config: [{ slug: 'backup', periodSeconds: 60 }],
      now: () => T0,
    });
    const admin = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
    await admin.connect();
    try {
      await service.start();
      expect(service.snapshot()).toEqual([]);
      await admin.query(`CREATE DATABASE ${name}`);
      // The service tries again every second; a missing monitor after 15 s is a failure, not a slow pass.
      for (let waited = 0; service.snapshot().length === 0 && waited < 15_000; waited += 100)
        await new Promise((resolve) => setTimeout(resolve, 100));
      expect(service.snapshot().map((s) => [s.definition.slug, s.origin, s.evaluation.state])).toEqual([
        ['backup', 'config', 'new'],
      ]);
    } finally {
      await service.stop();
      await pool.end();
      db.close();
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    }
  });
});
