import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { probeRedis } from '../src/probe-redis.js';

const REDIS_URL = process.env.JOBLENS_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

describe('probeRedis', () => {
  it('says yes for the real Redis', async () => {
    expect(await probeRedis(REDIS_URL)).toBe(true);
  });

  it('says no quickly when nothing listens', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    const { port } = server.address() as { port: number };
    await new Promise((resolve) => server.close(resolve));
    expect(await probeRedis(`redis://127.0.0.1:${port}`)).toBe(false);
  });

  it('says no when something that is not Redis holds the port silently', async () => {
    const server = createServer(() => {});
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    const { port } = server.address() as { port: number };
    try {
      expect(await probeRedis(`redis://127.0.0.1:${port}`, 200)).toBe(false);
    } finally {
      server.close();
    }
  });

  it('says no for a URL that is not a Redis URL', async () => {
    expect(await probeRedis('http://127.0.0.1:6379')).toBe(false);
  });
});
