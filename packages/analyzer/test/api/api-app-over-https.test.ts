import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, request, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiApp } from '../../src/api/create-api-app.js';

const TOKEN = 'https-read-token';
const dir = mkdtempSync(join(tmpdir(), 'joblens-https-'));
let server: Server;
let port: number;
let cert: Buffer;

beforeAll(async () => {
  // A real certificate for 127.0.0.1, made by openssl for this run.
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
      '-keyout',
      join(dir, 'key.pem'),
      '-out',
      join(dir, 'cert.pem'),
    ],
    { stdio: 'ignore' },
  );
  cert = readFileSync(join(dir, 'cert.pem'));
  const app = createApiApp({
    health: () => ({ ok: true, reasons: [], uptimeSeconds: 1, counts: {}, store: { ok: true } }),
    tokens: { read: TOKEN },
    openRouters: [],
    protectedRouters: [],
    registry: new Registry(),
  });
  server = createServer({ key: readFileSync(join(dir, 'key.pem')), cert }, app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

function getOverHttps(path: string): Promise<{ status: number; setCookie: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, ca: cert }, (res) => {
      res.resume();
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, setCookie: String(res.headers['set-cookie'] ?? '') }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

describe('the API app served over https itself', () => {
  it('sets the page cookie Secure, with no proxy in front to say so', async () => {
    const answer = await getOverHttps(`/metrics?token=${TOKEN}`);
    expect(answer.status).toBe(200);
    expect(answer.setCookie).toMatch(/^joblens_token=https-read-token; .*Secure/);
    expect(answer.setCookie).toContain('HttpOnly');
    expect(answer.setCookie).toContain('SameSite=Strict');
  });
});
