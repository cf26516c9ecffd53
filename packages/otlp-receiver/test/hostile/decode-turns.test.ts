import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { DecodeTurns } from '../../src/http/decode-turns.js';

const QUEUED_DECODES = 2000;

describe('decode turns', () => {
  it('answers another socket before all queued decodes have run', async () => {
    const turns = new DecodeTurns();
    let decoded = 0;
    let decodedWhenAnswered = -1;
    const server = createServer((_req, res) => {
      decodedWhenAnswered = decoded;
      res.end('ok');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const answer = fetch(`http://127.0.0.1:${port}/healthz`).then((response) => response.text());
      const decodes = Array.from({ length: QUEUED_DECODES }, () =>
        turns.next().then(() => {
          decoded += 1;
        }),
      );
      expect(await answer).toBe('ok');
      await Promise.all(decodes);
      // Run back to back, as they were in the poll phase that read their bodies, all would come first.
      expect(decodedWhenAnswered).toBeGreaterThanOrEqual(0);
      expect(decodedWhenAnswered).toBeLessThan(QUEUED_DECODES);
      expect(decoded).toBe(QUEUED_DECODES);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('runs the queued decodes in the order they asked', async () => {
    const turns = new DecodeTurns();
    const order: number[] = [];
    await Promise.all([1, 2, 3].map((n) => turns.next().then(() => order.push(n))));
    expect(order).toEqual([1, 2, 3]);
  });
});
