import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AnalyzerHandle, type AnalyzerUrls, createAnalyzer } from '../../src/analyzer.js';
import { type HttpReceiver, startHttpReceiver } from './http-receiver.js';
import { makeAlertEvent } from './make-alert-event.js';

let receiver: HttpReceiver;
let analyzer: AnalyzerHandle;
let urls: AnalyzerUrls;

beforeAll(async () => {
  // A receiver that is gone for good: 410 dead-letters at the first try.
  receiver = await startHttpReceiver(() => ({ status: 410 }));
  analyzer = createAnalyzer({
    port: 0,
    otlpPort: 0,
    dataDir: ':memory:',
    alerts: {
      channels: [{ name: 'ops', type: 'webhook', url: receiver.url, secret: 'x' }],
      routes: [],
      allowPrivateAddresses: false,
      retryForHours: 24,
    },
  });
  urls = await analyzer.start();
});

afterAll(async () => {
  await analyzer?.stop();
  await receiver?.close();
});

async function waitForDeadLetter(): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const { total } = (await (await fetch(`${urls.apiUrl}/api/alerts/deliveries?status=dead`)).json()) as {
      total: number;
    };
    if (total > 0) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('no dead letter');
}

describe('an alert that cannot be delivered', () => {
  it('is kept as a dead letter, listed by the API, shown on the page and counted in /metrics', async () => {
    const event = makeAlertEvent({ finding: { summary: 'render <b>spends</b> 7.0 s' } });
    await analyzer.alerts.publish(event);
    await waitForDeadLetter();

    const api = (await (await fetch(`${urls.apiUrl}/api/alerts/deliveries?status=dead`)).json()) as {
      deliveries: Array<{ id: string; lastError: string }>;
    };
    expect(api.deliveries).toMatchObject([{ id: `${event.id}:ops`, lastError: 'answered 410' }]);

    const page = await (await fetch(`${urls.apiUrl}/alerts`)).text();
    expect(page).toContain('<span id="dead-letter-count">1</span>');
    expect(page).toContain('answered 410');
    expect(page).toContain('render &lt;b&gt;spends&lt;/b&gt; 7.0 s');

    const metrics = await (await fetch(`${urls.apiUrl}/metrics`)).text();
    expect(metrics).toContain('joblens_analyzer_alert_dead_letters 1');
    expect(metrics).toContain('joblens_analyzer_alert_deliveries_total{channel="ops",result="dead"} 1');
    expect(metrics).toContain('joblens_analyzer_alert_deliveries_total{channel="ops",result="sent"} 0');
  });

  it('sends a dead letter again when asked, once its receiver works', async () => {
    const { deliveries } = (await (
      await fetch(`${urls.apiUrl}/api/alerts/deliveries?status=dead`)
    ).json()) as {
      deliveries: Array<{ id: string }>;
    };
    receiver.answer = () => ({ status: 200 });
    const tries = receiver.requests.length;

    const retry = await fetch(
      `${urls.apiUrl}/api/alerts/deliveries/${encodeURIComponent(deliveries[0].id)}/retry`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{}',
      },
    );
    expect(retry.status).toBe(202);
    for (let i = 0; i < 100 && receiver.requests.length === tries; i++)
      await new Promise((r) => setTimeout(r, 50));

    expect(receiver.requests.at(-1)?.headers['x-joblens-delivery']).toBe(deliveries[0].id);
    const again = await fetch(
      `${urls.apiUrl}/api/alerts/deliveries/${encodeURIComponent(deliveries[0].id)}/retry`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{}',
      },
    );
    expect(again.status).toBe(404);
  });

  it('refuses a status the outbox does not have, naming the ones it has', async () => {
    const response = await fetch(`${urls.apiUrl}/api/alerts/deliveries?status=lost`);
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      error: 'status must be one of pending, delivered, dead, got "lost"',
    });
  });
});
