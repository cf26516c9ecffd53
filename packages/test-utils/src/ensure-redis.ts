import { execFileSync, spawnSync } from 'node:child_process';
import { createConnection } from 'node:net';

export const REDIS_URL = process.env.JOBLENS_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** Resolves true when something accepts TCP connections on host:port within timeoutMillis. */
export function isPortOpen(port: number, host = '127.0.0.1', timeoutMillis = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ port, host });
    const done = (open: boolean) => {
      socket.destroy();
      resolve(open);
    };
    socket.setTimeout(timeoutMillis, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/**
 * Tests run against a real Redis. These machines start one before a session, but CI may find it
 * stopped: start it then, and install it from Debian's packages when it is missing altogether.
 */
export async function ensureRedis(): Promise<void> {
  if (await isPortOpen(6379)) return;
  if (spawnSync('which', ['redis-server']).status !== 0) {
    execFileSync('apt-get', ['update', '-qq'], { stdio: 'ignore' });
    execFileSync('apt-get', ['install', '-y', '-qq', 'redis-server'], { stdio: 'ignore' });
  }
  execFileSync('redis-server', [
    '--daemonize',
    'yes',
    '--port',
    '6379',
    '--bind',
    '127.0.0.1',
    '--save',
    '',
    '--appendonly',
    'no',
  ]);
  for (let i = 0; i < 50; i++) {
    if (await isPortOpen(6379)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('redis-server did not start on 127.0.0.1:6379');
}
