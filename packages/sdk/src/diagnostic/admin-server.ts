import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { hasBearerToken } from './bearer-token.js';

/** What the admin endpoint can do to the running SDK (a `FeatureContext` fits). */
export type AdminActions = {
  isDiagnostic(): boolean;
  setDiagnosticMode(on: boolean): void;
  dump(trigger: string): Promise<string | undefined>;
  onError(error: unknown): void;
};

/** A listening admin endpoint. */
export type AdminServer = {
  /** Always 127.0.0.1: the endpoint is for someone on the host, never the network. */
  readonly host: '127.0.0.1';
  readonly port: number;
  close(): Promise<void>;
};

/** Trigger recorded on dumps requested through `POST /dump`. */
const DUMP_TRIGGER_ADMIN = 'admin';

const MAX_BODY_BYTES = 4096;

function send(res: ServerResponse, status: number, body: Record<string, unknown>): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(text);
}

function readBody(req: IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        resolve(undefined);
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', () => resolve(undefined));
  });
}

async function route(req: IncomingMessage, res: ServerResponse, token: string, actions: AdminActions) {
  if (!hasBearerToken(req.headers.authorization, token)) {
    res.setHeader('www-authenticate', 'Bearer');
    return send(res, 401, { error: 'missing or wrong bearer token in Authorization' });
  }
  const path = (req.url ?? '/').split('?')[0];
  if (path === '/diagnostic') {
    if (req.method === 'GET') return send(res, 200, { enabled: actions.isDiagnostic() });
    if (req.method !== 'POST') return send(res, 405, { error: 'use GET or POST on /diagnostic' });
    const text = await readBody(req);
    if (text === undefined)
      return send(res, 400, { error: `body missing or larger than ${MAX_BODY_BYTES} bytes` });
    let enabled: unknown;
    try {
      enabled = (JSON.parse(text) as { enabled?: unknown } | null)?.enabled;
    } catch {
      return send(res, 400, { error: 'body must be JSON: {"enabled": true|false}' });
    }
    if (typeof enabled !== 'boolean') {
      return send(res, 400, {
        error: `"enabled" must be true or false, got ${JSON.stringify(enabled) ?? 'nothing'}`,
      });
    }
    actions.setDiagnosticMode(enabled);
    return send(res, 200, { enabled: actions.isDiagnostic() });
  }
  if (path === '/dump') {
    if (req.method !== 'POST') return send(res, 405, { error: 'use POST on /dump' });
    const dumpPath = await actions.dump(DUMP_TRIGGER_ADMIN);
    if (dumpPath === undefined)
      return send(res, 500, { error: 'the dump could not be written; see the worker log' });
    return send(res, 200, { path: dumpPath });
  }
  return send(res, 404, { error: `no ${path}; try GET or POST /diagnostic, POST /dump` });
}

/**
 * Starts the admin endpoint on 127.0.0.1:`port` (0 picks a free port). Every request needs
 * `Authorization: Bearer <token>`. Rejects when the port cannot be bound.
 */
export async function startAdminServer(
  port: number,
  token: string,
  actions: AdminActions,
): Promise<AdminServer> {
  if (token === '') throw new Error('the admin endpoint needs a non-empty token');
  const server: Server = createServer((req, res) => {
    route(req, res, token, actions).catch((cause) => {
      actions.onError(new Error(`serving ${req.method} ${req.url} on the admin endpoint`, { cause }));
      if (!res.headersSent) send(res, 500, { error: 'internal error' });
      else res.destroy();
    });
  });
  // The endpoint must never keep a worker alive that has nothing else to do.
  server.unref();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.on('error', (cause) => actions.onError(new Error('the admin endpoint failed', { cause })));
  const bound = (server.address() as AddressInfo).port;
  return {
    host: '127.0.0.1',
    port: bound,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
