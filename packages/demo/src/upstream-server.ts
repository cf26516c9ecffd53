import { createServer, type Server } from 'node:http';

export interface UpstreamServer {
  url: string;
  /** The payment provider answers 503 until `untilMs` (unix ms). */
  failUntil(untilMs: number): void;
  close(): Promise<void>;
}

const MAX_ARCHIVE_DELAY_MILLIS = 10_000;

/**
 * The services the demo's jobs call over real HTTP: a payment provider whose outage fails a batch of
 * payments at once (`/charge`), a slow legacy archive no span covers (`/archive?delayMillis=`), and a
 * warehouse whose row stream accepts the request and never answers (`/rows`), as a peer that dropped the
 * connection without a reset would.
 */
export async function startUpstreamServer(): Promise<UpstreamServer> {
  let outageUntilMs = 0;
  const pending = new Set<NodeJS.Timeout>();
  const server: Server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://upstream');
    if (url.pathname === '/charge') {
      const down = Date.now() < outageUntilMs;
      response.writeHead(down ? 503 : 200, { 'content-type': 'application/json' });
      response.end(down ? '{"error":"service unavailable"}' : '{"status":"captured"}');
      return;
    }
    if (url.pathname === '/health') {
      response.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
      return;
    }
    if (url.pathname === '/rows') {
      // Held open, unanswered, until the demo closes: the hung job's awaited call.
      return;
    }
    if (url.pathname === '/archive') {
      const delay = Math.min(
        MAX_ARCHIVE_DELAY_MILLIS,
        Math.max(0, Number(url.searchParams.get('delayMillis')) || 0),
      );
      const timer = setTimeout(() => {
        pending.delete(timer);
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end('{"archived":true}');
      }, delay);
      pending.add(timer);
      return;
    }
    response.writeHead(404).end();
  });
  // Workers keep connections alive between calls; without this, close() would wait for them to idle out.
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    failUntil(untilMs) {
      outageUntilMs = untilMs;
    },
    close() {
      for (const timer of pending) clearTimeout(timer);
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
