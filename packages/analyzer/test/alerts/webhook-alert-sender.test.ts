import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { alertForTransition } from '../../src/alerts/alert-message.js';
import { type AlertResult, WebhookAlertSender } from '../../src/alerts/webhook-alert-sender.js';
import { makeFinding, makeOpening } from '../store/make-finding.js';

interface Receiver {
  url: string;
  bodies: unknown[];
  statuses: number[];
}

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

/** A real webhook receiver on port 0 answering each request with the next status of `script` (then 200). */
async function startReceiver(script: number[]): Promise<Receiver> {
  const receiver: Receiver = { url: '', bodies: [], statuses: [] };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const status = script.shift() ?? 200;
      receiver.bodies.push(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      receiver.statuses.push(status);
      res.writeHead(status).end();
    });
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  return receiver;
}

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !condition(); i++) await new Promise((r) => setTimeout(r, 10));
}

describe('WebhookAlertSender', () => {
  it('retries a failing receiver with backoff until it accepts the alert', async () => {
    const receiver = await startReceiver([503, 500]);
    const results: AlertResult[] = [];
    const sender = new WebhookAlertSender({
      url: receiver.url,
      initialBackoffMillis: 5,
      onResult: (r) => results.push(r),
    });
    const finding = makeFinding({
      severity: 'critical',
      type: 'silent_worker',
      summary: 'worker w-1 stopped sending heartbeats',
    });
    sender.send(alertForTransition(finding, makeOpening(finding)));
    await until(() => results.includes('sent'));
    expect(receiver.statuses).toEqual([503, 500, 200]);
    expect(results).toEqual(['retried', 'retried', 'sent']);
    expect(receiver.bodies[2]).toEqual({
      text: '[CRITICAL] silent_worker opened (billing/invoices/w-1): worker w-1 stopped sending heartbeats',
      joblens: { kind: 'finding_transition', finding, transition: makeOpening(finding) },
    });
    await sender.stop();
  });

  it('gives up after the last attempt and goes on with the next alert', async () => {
    const receiver = await startReceiver([500, 500, 500]);
    const results: AlertResult[] = [];
    const sender = new WebhookAlertSender({
      url: receiver.url,
      maxAttempts: 3,
      initialBackoffMillis: 1,
      onResult: (r) => results.push(r),
    });
    sender.send({ text: 'first', joblens: {} });
    sender.send({ text: 'second', joblens: {} });
    await until(() => results.includes('sent'));
    expect(results).toEqual(['retried', 'retried', 'failed', 'sent']);
    expect(receiver.bodies.map((b) => (b as { text: string }).text)).toEqual([
      'first',
      'first',
      'first',
      'second',
    ]);
    await sender.stop();
  });

  it('does not retry a receiver that refuses the body', async () => {
    const receiver = await startReceiver([400]);
    const results: AlertResult[] = [];
    const sender = new WebhookAlertSender({
      url: receiver.url,
      initialBackoffMillis: 1,
      onResult: (r) => results.push(r),
    });
    sender.send({ text: 'refused', joblens: {} });
    await until(() => results.length > 0);
    expect(results).toEqual(['failed']);
    expect(receiver.statuses).toEqual([400]);
    await sender.stop();
  });

  it('drops the oldest alerts when the queue is full rather than growing without bound', async () => {
    const results: AlertResult[] = [];
    // fetch refuses port 1 outright (a "bad port"), so every try fails at once.
    const sender = new WebhookAlertSender({
      url: 'http://127.0.0.1:1/',
      maxQueueLength: 2,
      initialBackoffMillis: 1000,
      onResult: (r) => results.push(r),
    });
    for (let i = 0; i < 5; i++) sender.send({ text: `alert ${i}`, joblens: {} });
    expect(results.filter((r) => r === 'dropped')).toHaveLength(3);
    expect(sender.pending()).toBe(2);
    await sender.stop(10);
  });

  it('rejects options that cannot work, naming them', () => {
    expect(() => new WebhookAlertSender({ url: 'mailto:ops@example.com' })).toThrow(
      'alert webhook url must be an http(s) URL, got "mailto:ops@example.com"',
    );
    expect(() => new WebhookAlertSender({ url: 'http://x', maxAttempts: 0 })).toThrow(
      'alert webhook option maxAttempts must be a positive number, got 0',
    );
  });
});
