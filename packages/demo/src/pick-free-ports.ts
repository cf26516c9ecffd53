import { createServer, type Server } from 'node:net';

/**
 * `count` distinct TCP ports free on `host` right now, for worker processes that must be told their port
 * before they start (the demo's scrape config names each one). All are held open together while they are
 * picked, so no two are the same. Between this and a worker binding its port another process could take it;
 * the worker then reports the clash on its stderr and the rest of the demo runs on.
 */
export async function pickFreePorts(count: number, host = '127.0.0.1'): Promise<number[]> {
  const servers: Server[] = [];
  try {
    const ports: number[] = [];
    for (let i = 0; i < count; i++) {
      const server = createServer();
      servers.push(server);
      ports.push(await listenOnAnyPort(server, host));
    }
    return ports;
  } finally {
    await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  }
}

function listenOnAnyPort(server: Server, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => {
      const address = server.address();
      if (typeof address === 'object' && address) resolve(address.port);
      else reject(new Error(`no port bound on ${host}`));
    });
  });
}
