import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AnalyzerHandle, createAnalyzer } from '../../src/analyzer.js';
import { bearer, formPost, jsonRequest, sendRequest } from './send-request.js';

const INGEST = 'ingest-role-token';
const READ = 'read-role-token';
const ADMIN = 'admin-role-token';
const MONITOR = { slug: 'nightly', cron: '0 3 * * *', graceSeconds: 600 };
const EMPTY_TRACES = JSON.stringify({ resourceSpans: [] });

let analyzer: AnalyzerHandle;
let apiUrl: string;
let otlpUrl: string;

beforeAll(async () => {
  analyzer = createAnalyzer({
    port: 0,
    otlpPort: 0,
    dataDir: ':memory:',
    ingestToken: INGEST,
    readToken: READ,
    adminToken: ADMIN,
    monitors: [MONITOR],
  });
  ({ apiUrl, otlpUrl } = await analyzer.start());
});
afterAll(() => analyzer.stop());

const exportTraces = (token?: string) =>
  sendRequest(`${otlpUrl}/v1/traces`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? bearer(token) : {}) },
    body: EMPTY_TRACES,
  });
const read = (path: string, token?: string) =>
  sendRequest(`${apiUrl}${path}`, { headers: token ? bearer(token) : {} });
const pause = (token: string) =>
  sendRequest(`${apiUrl}/api/monitors/${MONITOR.slug}/pause`, jsonRequest('POST', {}, bearer(token)));

describe('the ingest role', () => {
  it('takes OTLP with the ingest token and refuses it without, or with another role token', async () => {
    expect((await exportTraces(INGEST)).status).toBe(200);
    expect((await exportTraces()).status).toBe(401);
    expect((await exportTraces(ADMIN)).status).toBe(401);
  });

  it('takes a ping with the ingest token and refuses one with the read token', async () => {
    expect((await read('/ping/nightly', INGEST)).status).toBe(200);
    expect((await read('/ping/nightly', READ)).status).toBe(401);
    expect((await read('/ping/nightly')).status).toBe(401);
  });
});

describe('the read role', () => {
  it('reads the API, the page and /metrics with the read token', async () => {
    for (const path of ['/api/findings', '/api/monitors', '/', '/metrics']) {
      expect((await read(path, READ)).status, path).toBe(200);
    }
  });

  it('reads with the admin token too, and not with the ingest token or none', async () => {
    expect((await read('/api/findings', ADMIN)).status).toBe(200);
    expect((await read('/api/findings', INGEST)).status).toBe(401);
    expect((await read('/metrics')).status).toBe(401);
  });

  it('keeps /healthz open for load balancers', async () => {
    expect((await read('/healthz')).status).toBe(200);
  });
});

describe('the admin role', () => {
  it('refuses a change with the read token with 401 and leaves the monitor as it was', async () => {
    const answer = await pause(READ);
    expect(answer.status).toBe(401);
    expect(JSON.parse(answer.body).error).toContain('admin token');
    const detail = JSON.parse((await read('/api/monitors/nightly', READ)).body);
    expect(detail.monitor.state).not.toBe('paused');
  });

  it('makes a change with the admin token and a JSON body', async () => {
    expect((await pause(ADMIN)).status).toBe(200);
    const detail = JSON.parse((await read('/api/monitors/nightly', READ)).body);
    expect(detail.monitor.state).toBe('paused');
    const resume = await sendRequest(
      `${apiUrl}/api/monitors/nightly/resume`,
      jsonRequest('POST', {}, bearer(ADMIN)),
    );
    expect(resume.status).toBe(200);
  });

  it('refuses a change with the admin token but a form body with 415', async () => {
    const answer = await sendRequest(`${apiUrl}/api/monitors/nightly/pause`, formPost({}, bearer(ADMIN)));
    expect(answer.status).toBe(415);
  });

  it('refuses a change carried by the admin cookie from a page on another site with 403', async () => {
    const answer = await sendRequest(
      `${apiUrl}/api/monitors/nightly/pause`,
      jsonRequest('POST', {}, { cookie: `joblens_token=${ADMIN}`, origin: 'https://attacker.example' }),
    );
    expect(answer.status).toBe(403);
  });
});

describe('the shared token', () => {
  it('stands for every role whose own token is not set', async () => {
    const shared = createAnalyzer({
      port: 0,
      otlpPort: 0,
      dataDir: ':memory:',
      token: 'shared',
      adminToken: ADMIN,
    });
    try {
      const urls = await shared.start();
      expect((await sendRequest(`${urls.apiUrl}/api/findings`, { headers: bearer('shared') })).status).toBe(
        200,
      );
      const byShared = await sendRequest(
        `${urls.apiUrl}/api/monitors`,
        jsonRequest('POST', {}, bearer('shared')),
      );
      expect(byShared.status).toBe(401);
      const ingest = await sendRequest(`${urls.otlpUrl}/v1/traces`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...bearer('shared') },
        body: EMPTY_TRACES,
      });
      expect(ingest.status).toBe(200);
    } finally {
      await shared.stop();
    }
  });
});

describe('the page cookie', () => {
  it('is Secure when a trusted proxy says the page was served over https, and not otherwise', async () => {
    const proxied = createAnalyzer({
      port: 0,
      otlpPort: 0,
      dataDir: ':memory:',
      token: READ,
      trustProxy: true,
    });
    try {
      const urls = await proxied.start();
      const overHttps = await sendRequest(`${urls.apiUrl}/?token=${READ}`, {
        headers: { 'x-forwarded-proto': 'https' },
      });
      expect(overHttps.status).toBe(200);
      expect(String(overHttps.headers['set-cookie'])).toMatch(/joblens_token=.*; Secure/);
      const overHttp = await sendRequest(`${urls.apiUrl}/?token=${READ}`);
      expect(String(overHttp.headers['set-cookie'])).not.toContain('Secure');
    } finally {
      await proxied.stop();
    }
  });

  it('ignores X-Forwarded-Proto from a client when no proxy is trusted', async () => {
    const answer = await sendRequest(`${apiUrl}/?token=${READ}`, {
      headers: { 'x-forwarded-proto': 'https' },
    });
    expect(answer.status).toBe(200);
    expect(String(answer.headers['set-cookie'])).not.toContain('Secure');
  });
});

describe('changes through a proxy', () => {
  it('takes the page Origin as the proxy names the host in X-Forwarded-Host, only when the proxy is trusted', async () => {
    const proxied = createAnalyzer({
      port: 0,
      otlpPort: 0,
      dataDir: ':memory:',
      adminToken: ADMIN,
      trustProxy: true,
      monitors: [MONITOR],
    });
    try {
      const urls = await proxied.start();
      const throughProxy = jsonRequest(
        'POST',
        {},
        {
          ...bearer(ADMIN),
          origin: 'https://joblens.example.com',
          'x-forwarded-host': 'joblens.example.com',
        },
      );
      expect((await sendRequest(`${urls.apiUrl}/api/monitors/nightly/pause`, throughProxy)).status).toBe(200);
      expect((await sendRequest(`${apiUrl}/api/monitors/nightly/pause`, throughProxy)).status).toBe(403);
    } finally {
      await proxied.stop();
    }
  });
});
