import { createTestDatabase, type TestDatabase } from '@joblens/test-utils';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type AnalyzerHandle, type AnalyzerUrls, createAnalyzer } from '../../src/analyzer.js';
import { type HttpReceiver, startHttpReceiver } from './http-receiver.js';
import { makeAlertEvent } from './make-alert-event.js';

const ADMIN = 'admin-token-for-shared-channels';
/** Past the deliverer's channel sync interval (10 s). */
const SYNC_MILLIS = 10_001;
const clock = { now: 1_800_000_000_000 };
let database: TestDatabase;
let receiver: HttpReceiver;
const running: AnalyzerHandle[] = [];

beforeEach(async () => {
  database = await createTestDatabase('joblens_channels');
  receiver = await startHttpReceiver();
});
afterEach(async () => {
  for (const analyzer of running.splice(0)) await analyzer.stop();
  await receiver.close();
  await database.drop();
});

async function startAnalyzer(
  instanceName: string,
): Promise<{ analyzer: AnalyzerHandle; urls: AnalyzerUrls }> {
  const analyzer = createAnalyzer(
    {
      port: 0,
      otlpPort: 0,
      dataDir: ':memory:',
      databaseUrl: database.url,
      adminToken: ADMIN,
      evaluationIntervalMillis: 3_600_000,
      alerts: { channels: [], routes: [], allowPrivateAddresses: true, retryForHours: 24 },
    },
    { instanceName, clock: () => clock.now },
  );
  running.push(analyzer);
  return { analyzer, urls: await analyzer.start() };
}

async function eventually<T>(read: () => T | undefined | Promise<T | undefined>, what: string): Promise<T> {
  for (let i = 0; i < 200; i++) {
    const value = await read();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('channels created through the API on a shared database', () => {
  it('deliver from every analyzer, once, and go from all when deleted on one', async () => {
    const a = await startAnalyzer('analyzer-a');
    const b = await startAnalyzer('analyzer-b');
    const created = await fetch(`${a.urls.apiUrl}/api/alerts/channels`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'team', type: 'slack', url: receiver.url }),
    });
    expect(created.status).toBe(201);

    clock.now += SYNC_MILLIS;
    await eventually(
      () => (b.analyzer.alerts.hasChannel('team') ? true : undefined),
      'B to load the channel',
    );
    const event = makeAlertEvent();
    await b.analyzer.alerts.publish(event);
    await eventually(() => (receiver.requests.length > 0 ? true : undefined), 'the delivery');
    // Both delivery loops read the outbox; the claimed row went out once.
    await a.analyzer.alerts.deliverDue();
    await b.analyzer.alerts.deliverDue();
    expect(receiver.requests).toHaveLength(1);

    const deleted = await fetch(`${a.urls.apiUrl}/api/alerts/channels/team`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(deleted.status).toBe(204);
    clock.now += SYNC_MILLIS;
    await eventually(
      () => (b.analyzer.alerts.hasChannel('team') ? undefined : true),
      'B to drop the channel',
    );
  });
});
