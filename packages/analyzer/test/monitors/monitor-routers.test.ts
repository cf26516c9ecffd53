import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express from 'express';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MonitorService } from '../../src/monitors/monitor-service.js';
import { createMonitorsApiRouter } from '../../src/monitors/monitors-api-router.js';
import { createPingRouter } from '../../src/monitors/ping-router.js';
import { MAX_PING_BODY_BYTES } from '../../src/monitors/read-ping-body.js';
import { SqliteMonitorStore } from '../../src/monitors/sqlite-monitor-store.js';
import { openDatabase, type SqliteDatabase } from '../../src/store/open-database.js';
import type { MonitorDetailBody } from './monitor-factories.js';

let dataDir: string;
let db: SqliteDatabase;
let service: MonitorService;
let server: Server;
let base: string;

async function serve(config: unknown): Promise<void> {
  service = new MonitorService({ store: new SqliteMonitorStore(db), config });
  await service.start();
  const app = express();
  app.use(createPingRouter(service));
  app.use(createMonitorsApiRouter(service));
  server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'joblens-monitor-http-'));
  db = openDatabase(dataDir);
});

afterEach(async () => {
  await service?.stop();
  await new Promise((resolve) => server?.close(resolve));
  db.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const api = (path: string, init?: RequestInit) => fetch(`${base}${path}`, init);
const json = (method: string, body: unknown): RequestInit => ({
  method,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});
const detail = async (slug: string) =>
  (await (await api(`/api/monitors/${slug}`)).json()) as MonitorDetailBody;
const monitorOf = async (res: Response) => ((await res.json()) as Pick<MonitorDetailBody, 'monitor'>).monitor;

describe('the ping endpoints', () => {
  beforeEach(() => serve([{ slug: 'backup', periodSeconds: 3600, graceSeconds: 60 }]));

  it('answers OK to a success ping and stores it before replying', async () => {
    const res = await api('/ping/backup');
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('OK');
    expect((await service.pings('backup')).map((p) => p.event.type)).toEqual(['success']);
    expect((await detail('backup')).monitor.state).toBe('up');
  });

  it('opens a run on /start and closes it with the same rid, by POST and by HEAD', async () => {
    const rid = '3f1c9a52-8a0e-4d0b-9c4e-2a9b7c1d5e6f';
    expect((await api(`/ping/backup/start?rid=${rid}`, { method: 'HEAD' })).status).toBe(200);
    expect((await detail('backup')).monitor.state).toBe('running');
    expect((await api(`/ping/backup/0?rid=${rid}`, { method: 'POST', body: 'all done\n' })).status).toBe(200);
    const after = await detail('backup');
    expect(after.monitor.state).toBe('up');
    expect(after.pings.map((p) => [p.type, p.runId, p.body])).toEqual([
      ['start', rid, null],
      ['success', rid, 'all done\n'],
    ]);
  });

  it('takes the monitor down on /fail and on a non-zero exit code, keeping the code', async () => {
    await api('/ping/backup');
    expect((await api('/ping/backup/fail', { method: 'POST' })).status).toBe(200);
    expect((await detail('backup')).monitor.state).toBe('down');
    await api('/ping/backup');
    await api('/ping/backup/42');
    const after = await detail('backup');
    expect(after.monitor.down).toMatchObject({ reason: 'failed', exitCode: 42 });
    expect(after.transitions.map((t) => t.to)).toEqual(['up', 'down', 'up', 'down']);
  });

  it('keeps the first 100 KB of a large body as the run log', async () => {
    const body = 'x'.repeat(MAX_PING_BODY_BYTES + 5000);
    expect((await api('/ping/backup/1', { method: 'POST', body })).status).toBe(200);
    expect((await service.pings('backup'))[0].body).toHaveLength(MAX_PING_BODY_BYTES);
  });

  it('refuses bad slugs, exit codes and run ids with a 400 that says why', async () => {
    for (const [path, words] of [
      ['/ping/Bad_Slug', 'slug must match'],
      ['/ping/backup/256', 'exit code from 0 to 255'],
      ['/ping/backup/restart', 'must be start, fail or an exit code'],
      ['/ping/backup?rid=not%20an%20id', 'rid must be'],
    ]) {
      const res = await api(path);
      expect(res.status, path).toBe(400);
      expect(((await res.json()) as { error: string }).error).toContain(words);
    }
    expect(await service.pings('backup')).toEqual([]);
  });

  it('answers 404 for an unknown slug and 405 for other methods', async () => {
    const unknown = await api('/ping/nobody');
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { error: string }).error).toContain('nobody');
    expect((await api('/ping/backup', { method: 'DELETE' })).status).toBe(405);
  });
});

describe('auto-created monitors', () => {
  beforeEach(() => serve({ autoCreate: true }));

  it('creates a monitor with the default period on its first ping', async () => {
    expect((await api('/ping/newcomer')).status).toBe(200);
    const { monitor } = await detail('newcomer');
    expect(monitor).toMatchObject({ state: 'up', origin: 'auto', schedule: 'every 86400 s' });
  });
});

describe('the monitors API', () => {
  beforeEach(() => serve([]));

  it('creates, lists, replaces, pauses, resumes and deletes a monitor', async () => {
    const created = await api(
      '/api/monitors',
      json('POST', { slug: 'etl', cron: '0 3 * * *', timeZone: 'Europe/Berlin', graceSeconds: 600 }),
    );
    expect(created.status).toBe(201);
    expect((await api('/api/monitors', json('POST', { slug: 'etl', periodSeconds: 60 }))).status).toBe(409);
    await api('/ping/etl');
    const list = (await (await api('/api/monitors')).json()) as { monitors: Array<Record<string, unknown>> };
    expect(list.monitors).toHaveLength(1);
    expect(list.monitors[0]).toMatchObject({
      slug: 'etl',
      state: 'up',
      schedule: '0 3 * * * (Europe/Berlin)',
    });
    expect(list.monitors[0].nextDeadlineMs).toBe((list.monitors[0].nextExpectedMs as number) + 600_000);

    const replaced = await api('/api/monitors/etl', json('PUT', { periodSeconds: 120, graceSeconds: 30 }));
    expect(replaced.status).toBe(200);
    expect((await monitorOf(replaced)).schedule).toBe('every 120 s');

    expect((await monitorOf(await api('/api/monitors/etl/pause', { method: 'POST' }))).state).toBe('paused');
    expect((await monitorOf(await api('/api/monitors/etl/resume', { method: 'POST' }))).state).toBe('new');
    expect((await api('/api/monitors/etl', { method: 'DELETE' })).status).toBe(204);
    expect((await api('/api/monitors/etl')).status).toBe(404);
  });

  it('names the field that is wrong in a definition', async () => {
    const cases: Array<[unknown, string]> = [
      [{ slug: 'a', cron: '61 * * * *' }, 'body.cron'],
      [{ slug: 'a', cron: '* * * * *', timeZone: 'Mars/Olympus' }, 'body.timeZone'],
      [{ slug: 'a', periodSeconds: -5 }, 'body.periodSeconds must be a positive number, got -5'],
      [{ slug: 'a', periodSeconds: 5, graceSecs: 1 }, 'body.graceSecs'],
      [{ slug: 'A B', periodSeconds: 5 }, 'body.slug'],
    ];
    for (const [body, words] of cases) {
      const res = await api('/api/monitors', json('POST', body));
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(((await res.json()) as { error: string }).error).toContain(words);
    }
    const broken = await api('/api/monitors', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{nope',
    });
    expect(broken.status).toBe(400);
  });
});
