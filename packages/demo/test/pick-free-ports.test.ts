import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { pickFreePorts } from '../src/pick-free-ports.js';

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

describe('pickFreePorts', () => {
  it('picks as many distinct ports as asked, each free to listen on once picked', async () => {
    const ports = await pickFreePorts(8);
    expect(new Set(ports).size).toBe(8);
    for (const port of ports) expect(await canListen(port), `port ${port}`).toBe(true);
  });
});
