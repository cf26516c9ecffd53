import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiWorker, createApiRouter } from '../../src/api/api-router.js';
import { createHealthRouter } from '../../src/api/health-router.js';
import { errorsAsJson, notFoundJson } from '../../src/api/json-errors.js';
import { requireToken } from '../../src/api/require-token.js';
import { openDatabase } from '../../src/store/open-database.js';
import { SqliteFindingStore } from '../../src/store/sqlite-finding-store.js';
import { makeFinding, makeOpening } from '../store/make-finding.js';

const store = new SqliteFindingStore(openDatabase(':memory:'));
const gap = makeFinding({ lastSeen: 2000 });
const stuck = makeFinding({
  type: 'silent_worker',
  severity: 'critical',
  lastSeen: 3000,
  subject: { service: 'mail', worker: 'w-7', host: 'h' },
});
const workers: ApiWorker[] = [
  {
    worker: 'w-7',
    service: 'mail',
    host: 'h',
    heartbeatAgeSeconds: 2,
    activeJobs: 1,
    shareOfWork: { outbox: 1 },
  },
];
let server: Server;
let base: string;

beforeAll(async () => {
  await store.save([gap, stuck], [makeOpening(gap), makeOpening(stuck)]);
  const app = express();
  app.use(
    createHealthRouter(() => ({
      ok: true,
      reasons: [],
      uptimeSeconds: 1,
      counts: { openFindings: 2 },
      store: { ok: true },
    })),
  );
  app.use(requireToken('s3cret'));
  app.use(createApiRouter({ store, workers: () => workers }));
  app.use(notFoundJson);
  app.use(errorsAsJson());
  server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise((r) => server.close(r)));

const get = (path: string, token: string | null = 's3cret') =>
  fetch(`${base}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });

describe('the JSON API', () => {
  it('lists findings newest first and narrows them by the query', async () => {
    expect(
      ((await (await get('/api/findings')).json()) as { findings: { id: string }[] }).findings.map(
        (f) => f.id,
      ),
    ).toEqual([stuck.id, gap.id]);
    const body = (await (await get('/api/findings?type=mystery_gap&status=open&service=billing')).json()) as {
      findings: unknown[];
    };
    expect(body.findings).toEqual([{ ...gap, state: 'open' }]);
    expect(
      ((await (await get('/api/findings?worker=w-7&limit=1')).json()) as { findings: unknown[] }).findings,
    ).toEqual([{ ...stuck, state: 'open' }]);
  });

  it('answers a bad filter with 400 and says what was wrong', async () => {
    const response = await get('/api/findings?status=maybe');
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: 'status must be open or resolved, got "maybe"' });
    expect((await get('/api/findings?limit=0')).status).toBe(400);
    expect((await get('/api/findings?type=nope')).status).toBe(400);
    expect((await get('/api/findings?queue=a&queue=b')).status).toBe(400);
  });

  it('gives one finding with its transitions, and a JSON 404 for an unknown id', async () => {
    expect(await (await get(`/api/findings/${gap.id}`)).json()).toEqual({
      finding: { ...gap, state: 'open' },
      transitions: [makeOpening(gap)],
    });
    const missing = await get('/api/findings/nope');
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ error: 'no finding with id nope' });
  });

  it('lists workers', async () => {
    expect(await (await get('/api/workers')).json()).toEqual({ workers });
  });

  it('refuses requests without the right bearer token but keeps /healthz open', async () => {
    const none = await get('/api/findings', null);
    expect(none.status).toBe(401);
    expect(await none.json()).toEqual({
      error: 'a bearer token is required (Authorization: Bearer <token>)',
    });
    expect((await get('/api/workers', 'wrong')).status).toBe(401);
    expect((await get('/healthz', null)).status).toBe(200);
  });

  it('lets a browser in by a token in the query once, then by the cookie it set', async () => {
    const first = await fetch(`${base}/api/workers?token=s3cret`);
    expect(first.status).toBe(200);
    const cookie = first.headers.get('set-cookie')?.split(';')[0];
    expect(cookie).toBe('joblens_token=s3cret');
    expect((await fetch(`${base}/api/workers`, { headers: { cookie: cookie! } })).status).toBe(200);
    expect((await fetch(`${base}/api/workers`, { headers: { cookie: 'joblens_token=nope' } })).status).toBe(
      401,
    );
    expect((await fetch(`${base}/api/workers?token=nope`)).status).toBe(401);
  });

  it('answers unknown routes with JSON rather than an HTML page', async () => {
    const response = await get('/api/nothing-here');
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ error: 'no route GET /api/nothing-here' });
  });
});
