import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ATTR_DIAGNOSTIC_MODE, LOG_DIAGNOSTIC_MODE } from '@joblens/semconv';
import { isPortOpen } from '@joblens/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import { adminEndpointOf } from '../src/diagnostic/admin-endpoint-feature.js';
import { type InMemoryJoblens, startInMemoryJoblens } from './fixtures/in-memory-joblens.js';

const TOKEN = 'admin-token-for-tests';

let running: InMemoryJoblens | undefined;
let dumpDirectory: string | undefined;

afterEach(async () => {
  await running?.joblens.shutdown();
  running = undefined;
  if (dumpDirectory) await rm(dumpDirectory, { recursive: true, force: true });
  dumpDirectory = undefined;
});

async function startWithAdmin(): Promise<{ base: string; port: number; sdk: InMemoryJoblens }> {
  dumpDirectory = await mkdtemp(join(tmpdir(), 'joblens-admin-test-'));
  running = startInMemoryJoblens({
    dumpDirectory,
    watchdog: { enabled: false },
    diagnostic: { adminPort: 0, adminToken: TOKEN },
  });
  const endpoint = await adminEndpointOf(running.instanceId);
  if (!endpoint)
    throw new Error(`no admin endpoint came up: ${running.errors.map((e) => e.message).join('; ')}`);
  return { base: `http://127.0.0.1:${endpoint.port}`, port: endpoint.port, sdk: running };
}

function call(url: string, init: { method?: string; token?: string; body?: string } = {}) {
  return fetch(url, {
    method: init.method ?? 'GET',
    headers: init.token ? { authorization: `Bearer ${init.token}` } : {},
    body: init.body,
  });
}

describe('the diagnostic admin endpoint', () => {
  it('answers 401 to a request without the bearer token or with a wrong one', async () => {
    const { base, sdk } = await startWithAdmin();
    const anonymous = await call(`${base}/diagnostic`, { method: 'POST', body: '{"enabled":true}' });
    expect(anonymous.status).toBe(401);
    expect(((await anonymous.json()) as { error: string }).error).toMatch(/bearer token/);
    const wrong = await call(`${base}/diagnostic`, {
      method: 'POST',
      token: `${TOKEN}x`,
      body: '{"enabled":true}',
    });
    expect(wrong.status).toBe(401);
    const unknownPathWithoutToken = await call(`${base}/nothing-here`);
    expect(unknownPathWithoutToken.status).toBe(401);
    expect(sdk.joblens.diagnosticMode).toBe(false);
  });

  it('switches diagnostic mode on and off with the token and logs each change', async () => {
    const { base, sdk } = await startWithAdmin();
    const before = await call(`${base}/diagnostic`, { token: TOKEN });
    expect(await before.json()).toEqual({ enabled: false });

    const on = await call(`${base}/diagnostic`, { method: 'POST', token: TOKEN, body: '{"enabled":true}' });
    expect(on.status).toBe(200);
    expect(await on.json()).toEqual({ enabled: true });
    expect(sdk.joblens.diagnosticMode).toBe(true);

    const off = await call(`${base}/diagnostic`, { method: 'POST', token: TOKEN, body: '{"enabled":false}' });
    expect(await off.json()).toEqual({ enabled: false });
    expect(sdk.joblens.diagnosticMode).toBe(false);

    await sdk.joblens.forceFlush();
    const changes = sdk.logs
      .getFinishedLogRecords()
      .filter((record) => record.eventName === LOG_DIAGNOSTIC_MODE)
      .map((record) => record.attributes[ATTR_DIAGNOSTIC_MODE]);
    expect(changes).toEqual([true, false]);
  });

  it('rejects a body that is not {"enabled": boolean} with 400 and an unknown path with 404', async () => {
    const { base, sdk } = await startWithAdmin();
    const notJson = await call(`${base}/diagnostic`, { method: 'POST', token: TOKEN, body: 'on please' });
    expect(notJson.status).toBe(400);
    expect(((await notJson.json()) as { error: string }).error).toMatch(/JSON/);
    const notBoolean = await call(`${base}/diagnostic`, {
      method: 'POST',
      token: TOKEN,
      body: '{"enabled":"yes"}',
    });
    expect(notBoolean.status).toBe(400);
    expect(((await notBoolean.json()) as { error: string }).error).toMatch(
      /"enabled" must be true or false, got "yes"/,
    );
    const missing = await call(`${base}/metrics`, { token: TOKEN });
    expect(missing.status).toBe(404);
    expect(sdk.joblens.diagnosticMode).toBe(false);
  });

  it('writes a dump on POST /dump and answers with its path', async () => {
    const { base } = await startWithAdmin();
    const response = await call(`${base}/dump`, { method: 'POST', token: TOKEN });
    expect(response.status).toBe(200);
    const { path } = (await response.json()) as { path: string };
    expect(path.startsWith(join(dumpDirectory!, `joblens-dump-${process.pid}-`))).toBe(true);
    expect(existsSync(path)).toBe(true);
  });

  it('listens on 127.0.0.1 only, not on other addresses of the host', async () => {
    const { port } = await startWithAdmin();
    expect(await isPortOpen(port, '127.0.0.1')).toBe(true);
    // The whole 127/8 reaches the loopback interface: a server bound to 0.0.0.0 would accept here.
    expect(await isPortOpen(port, '127.0.0.2')).toBe(false);
  });
});

describe('the diagnostic toggle signal', () => {
  it('flips diagnostic mode each time the process receives it', async () => {
    // SIGWINCH is ignored by default, so a missing listener could not end the test process.
    running = startInMemoryJoblens({
      watchdog: { enabled: false },
      diagnostic: { toggleSignal: 'SIGWINCH' },
    });
    const { joblens } = running;
    expect(joblens.diagnosticMode).toBe(false);
    process.kill(process.pid, 'SIGWINCH');
    await expect.poll(() => joblens.diagnosticMode).toBe(true);
    process.kill(process.pid, 'SIGWINCH');
    await expect.poll(() => joblens.diagnosticMode).toBe(false);
  });
});
