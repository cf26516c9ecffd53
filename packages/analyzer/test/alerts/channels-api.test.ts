import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AnalyzerHandle, type AnalyzerUrls, createAnalyzer } from '../../src/analyzer.js';

const ADMIN = 'admin-token-for-channels';
let analyzer: AnalyzerHandle;
let urls: AnalyzerUrls;

beforeAll(async () => {
  analyzer = createAnalyzer({
    port: 0,
    otlpPort: 0,
    dataDir: ':memory:',
    adminToken: ADMIN,
    alerts: {
      channels: [{ name: 'ops', type: 'webhook', url: 'http://10.0.0.9/hook', secret: 'do-not-show' }],
      routes: [],
      allowPrivateAddresses: false,
      retryForHours: 24,
    },
  });
  urls = await analyzer.start();
});

afterAll(async () => {
  await analyzer?.stop();
});

const call = (method: string, path: string, body?: unknown, token: string | null = ADMIN) =>
  fetch(`${urls.apiUrl}${path}`, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });

describe('the channels API', () => {
  it('refuses a channel aimed at the analyzer own machine, naming the option that would allow it', async () => {
    const response = await call('POST', '/api/alerts/channels', {
      name: 'x',
      type: 'slack',
      url: 'http://localhost:6379/',
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: string }).error).toMatch(
      /localhost resolves to .* loopback, link-local or private address.*alerts\.allowPrivateAddresses: true/,
    );
  });

  it('lets a config-file channel target a private address, and lists it without its secret', async () => {
    const response = await call('GET', '/api/alerts/channels');
    const { channels } = (await response.json()) as { channels: Array<Record<string, unknown>> };
    expect(channels).toEqual([
      { name: 'ops', type: 'webhook', url: 'http://10.0.0.9/hook', secret: '***', source: 'config' },
    ]);
  });

  it('asks the admin token of a change', async () => {
    const response = await call(
      'POST',
      '/api/alerts/channels',
      { name: 'x', type: 'slack', url: 'http://1.1.1.1/' },
      null,
    );
    expect(response.status).toBe(401);
  });

  it('leaves config-file channels to the config file', async () => {
    const response = await call('DELETE', '/api/alerts/channels/ops', {});
    expect(response.status).toBe(409);
  });
});
