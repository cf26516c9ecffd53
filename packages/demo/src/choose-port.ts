import { createServer } from 'node:net';

export interface PortChoice {
  /** The port to listen on; 0 lets the system pick a free one (read the bound port back after listening). */
  port: number;
  /** True when the wanted port was taken, so a free one will be used instead. */
  fellBack: boolean;
}

/**
 * The wanted port when it can be bound on `host` now, else 0. There is a small window between this
 * check and the analyzer binding; the demo accepts it (a clash then fails with a clear EADDRINUSE line).
 */
export async function choosePort(wanted: number, host = '127.0.0.1'): Promise<PortChoice> {
  if (wanted === 0) return { port: 0, fellBack: false };
  return (await canBind(wanted, host)) ? { port: wanted, fellBack: false } : { port: 0, fellBack: true };
}

function canBind(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, host, () => server.close(() => resolve(true)));
  });
}
