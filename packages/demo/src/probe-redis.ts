import { createConnection } from 'node:net';

/** Where the demo looks for Redis: REDIS_URL, else the local default. */
export function redisUrlFromEnv(env: NodeJS.ProcessEnv = process.env): string {
  return env.REDIS_URL || 'redis://127.0.0.1:6379';
}

/**
 * Resolves true when a Redis answers PING at `url` within `timeoutMillis`. A plain socket rather
 * than ioredis: ioredis retries and reconnects by design, and the demo only wants a quick yes or no
 * before choosing between BullMQ and the generic adapter.
 */
export function probeRedis(url: string, timeoutMillis = 500): Promise<boolean> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return Promise.resolve(false);
  }
  if (parsed.protocol !== 'redis:') return Promise.resolve(false);
  const port = Number(parsed.port || 6379);
  const host = parsed.hostname || '127.0.0.1';
  const password = decodeURIComponent(parsed.password);
  const username = decodeURIComponent(parsed.username);
  return new Promise((resolve) => {
    const socket = createConnection({ port, host });
    let answer = '';
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMillis, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => {
      if (password) socket.write(username ? `AUTH ${username} ${password}\r\n` : `AUTH ${password}\r\n`);
      socket.write('PING\r\n');
    });
    socket.on('data', (chunk) => {
      answer += chunk.toString('utf8');
      if (answer.includes('+PONG')) done(true);
      else if (answer.startsWith('-') || answer.includes('\r\n-')) done(false);
    });
  });
}
