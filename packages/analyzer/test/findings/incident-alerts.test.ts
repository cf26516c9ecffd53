import { rmSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type AnalyzerHandle, createAnalyzer } from '../../src/analyzer.js';
import type { Finding } from '../../src/findings/finding.js';
import { type HttpReceiver, startHttpReceiver } from '../alerts/http-receiver.js';
import { makeFinding, makeOpening } from '../store/make-finding.js';
import { seedDataDir } from '../store/seed-data-dir.js';

const HOUR = 3_600_000;
const T0 = Date.parse('2026-03-02T10:00:00Z');
const TOKEN = 'incident-alerts-token';

let receiver: HttpReceiver;
let analyzer: AnalyzerHandle;
let apiUrl: string;
let overdue: Finding;
let snoozed: Finding;
let dataDir: string;
const clock = { now: T0 };

interface Delivered {
  kind: string;
  actor?: string;
  finding: { id: string; acknowledgedBy?: string };
}
const delivered = () => receiver.requests.map((r) => JSON.parse(r.body) as Delivered);

async function waitForDeliveries(count: number): Promise<Delivered[]> {
  const deadline = Date.now() + 10_000;
  while (receiver.requests.length < count && Date.now() < deadline)
    await new Promise((resolve) => setTimeout(resolve, 25));
  return delivered();
}

beforeEach(async () => {
  clock.now = T0;
  receiver = await startHttpReceiver();
  // Both opened just under 4 hours ago; the analyzer inherits them from its store and, in its first
  // minute, keeps them open without telemetry, so the reminders are all that can change.
  overdue = makeFinding({ firstSeen: T0 - 4 * HOUR + 10_000, lastSeen: T0 - 1000 });
  snoozed = makeFinding({ firstSeen: T0 - 4 * HOUR + 10_000, lastSeen: T0 - 1000 });
  // In the analyzer's own database: the alerts of what its evaluations record go to that database's outbox.
  dataDir = await seedDataDir([overdue, snoozed], [makeOpening(overdue), makeOpening(snoozed)]);
  analyzer = createAnalyzer(
    {
      port: 0,
      otlpPort: 0,
      dataDir,
      token: TOKEN,
      evaluationIntervalMillis: 3_600_000,
      alerts: {
        channels: [{ name: 'hook', type: 'webhook', url: receiver.url, secret: 'reminder-secret' }],
        routes: [],
        allowPrivateAddresses: false,
        retryForHours: 24,
        reminderHours: 4,
      },
    },
    { clock: () => clock.now },
  );
  apiUrl = (await analyzer.start()).apiUrl;
});
afterEach(async () => {
  await analyzer.stop();
  await receiver.close();
  rmSync(dataDir, { recursive: true, force: true });
});

function post(path: string, body: unknown) {
  return fetch(`${apiUrl}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

describe('the incident lifecycle through the alert channels', () => {
  it('delivers a reminder at reminderHours, none for a snoozed finding, and the acknowledgement naming who', async () => {
    expect((await post(`/api/findings/${snoozed.id}/snooze`, { until: '2026-03-02T12:00:00Z' })).status).toBe(
      200,
    );
    clock.now = T0 + 5000;
    await analyzer.evaluateNow();
    expect((await analyzer.store.get(overdue.id))?.remindedAt).toBeUndefined();

    clock.now = T0 + 10_000;
    await analyzer.evaluateNow();
    expect(await waitForDeliveries(1)).toEqual([
      expect.objectContaining({ kind: 'reminder', finding: expect.objectContaining({ id: overdue.id }) }),
    ]);

    expect((await post(`/api/findings/${overdue.id}/acknowledge`, { by: 'alice' })).status).toBe(200);
    expect((await waitForDeliveries(2))[1]).toMatchObject({
      kind: 'acknowledged',
      actor: 'alice',
      finding: { id: overdue.id },
    });
    clock.now = T0 + 50_000;
    await analyzer.evaluateNow();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(delivered().map((d) => [d.kind, d.finding.id])).toEqual([
      ['reminder', overdue.id],
      ['acknowledged', overdue.id],
    ]);
    expect((await analyzer.store.get(overdue.id))?.remindedAt).toBe(T0 + 10_000);
  });

  it('sends the recovery notification when an acknowledged finding resolves, naming who had it', async () => {
    expect((await post(`/api/findings/${overdue.id}/acknowledge`, { by: 'alice' })).status).toBe(200);
    // Past the first minute the analyzer judges inherited findings again: no telemetry holds them.
    clock.now = T0 + 61_000;
    await analyzer.evaluateNow();
    const resolved = (await waitForDeliveries(3)).filter((d) => d.kind === 'resolved');
    expect(resolved.map((d) => d.finding.id).sort()).toEqual([overdue.id, snoozed.id].sort());
    expect(resolved.find((d) => d.finding.id === overdue.id)?.finding.acknowledgedBy).toBe('alice');
    expect(await analyzer.store.get(overdue.id)).toMatchObject({
      status: 'resolved',
      acknowledgedBy: 'alice',
    });
  });
});
