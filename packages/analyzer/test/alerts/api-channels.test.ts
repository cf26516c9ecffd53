import { afterEach, describe, expect, it } from 'vitest';
import { AlertDeliverer } from '../../src/alerts/alert-deliverer.js';
import { ApiChannels } from '../../src/alerts/api-channels.js';
import { openDatabase } from '../../src/store/open-database.js';
import { SqliteAlertOutbox } from '../../src/store/sqlite-alert-outbox.js';
import { SqliteChannelStore } from '../../src/store/sqlite-channel-store.js';
import { type HttpReceiver, startHttpReceiver } from './http-receiver.js';
import { makeAlertEvent } from './make-alert-event.js';

let receiver: HttpReceiver | undefined;
afterEach(async () => {
  await receiver?.close();
  receiver = undefined;
});

/** A resolver the test steers: `hooks.example` answers whatever `answers.current` holds. */
function setUp(allowPrivateAddresses: boolean) {
  const db = openDatabase(':memory:');
  const outbox = new SqliteAlertOutbox(db);
  const deliverer = new AlertDeliverer({ outbox, channels: [], routes: [] });
  const answers = { current: '93.184.216.34' };
  const channels = new ApiChannels({
    store: new SqliteChannelStore(db),
    deliverer,
    allowPrivateAddresses,
    clock: () => 1_800_000_000_000,
    lookup: async (host) => {
      if (host !== 'hooks.example') throw Object.assign(new Error('not found'), { code: 'ENOTFOUND' });
      return [{ address: answers.current }];
    },
  });
  return { db, outbox, deliverer, channels, answers };
}

describe('channels created through the API', () => {
  it('refuses a loopback URL unless alerts.allowPrivateAddresses is true', async () => {
    const { channels } = setUp(false);
    const result = await channels.create({ name: 'x', type: 'slack', url: 'http://127.0.0.1:6379/' });
    expect(result).toMatchObject({ ok: false, status: 400 });
    expect((result as { error: string }).error).toContain('alerts.allowPrivateAddresses');
  });

  it.each([
    ['a cloud metadata address', { type: 'webhook', url: 'http://169.254.169.254/latest', secret: 's' }],
    ['a private IPv6 address', { type: 'slack', url: 'http://[fd00::1]:8080/' }],
    ['an SMTP host on the private network', { type: 'email', host: '10.0.0.5', from: 'a@b.c', to: 'd@e.f' }],
    ['a PagerDuty url pointed inside', { type: 'pagerduty', routingKey: 'k', url: 'http://192.168.1.1/' }],
  ])('refuses %s', async (_what, settings) => {
    const { channels } = setUp(false);
    expect(await channels.create({ name: 'x', ...settings })).toMatchObject({ ok: false, status: 400 });
  });

  it('refuses a name that resolves to a private address, and one that does not resolve', async () => {
    const { channels, answers } = setUp(false);
    answers.current = '10.1.2.3';
    const inside = await channels.create({ name: 'x', type: 'slack', url: 'https://hooks.example/x' });
    expect((inside as { error: string }).error).toContain('hooks.example resolves to 10.1.2.3');
    const unknown = await channels.create({ name: 'y', type: 'slack', url: 'https://nowhere.example/x' });
    expect((unknown as { error: string }).error).toContain('nowhere.example does not resolve (ENOTFOUND)');
  });

  it('refuses a delivery once the name resolves inside, though it was public when created', async () => {
    const { channels, deliverer, outbox, answers } = setUp(false);
    expect(
      await channels.create({ name: 'hook', type: 'slack', url: 'https://hooks.example/x' }),
    ).toMatchObject({
      ok: true,
    });
    answers.current = '127.0.0.1';
    await deliverer.publish(makeAlertEvent());
    await deliverer.deliverDue();
    const [dead] = await outbox.list('dead');
    expect(dead.lastError).toContain('hooks.example resolves to 127.0.0.1');
  });

  it('delivers to a local receiver when private addresses are allowed, and keeps the channel across a restart', async () => {
    receiver = await startHttpReceiver();
    const first = setUp(true);
    expect(
      await first.channels.create({
        name: 'local',
        type: 'slack',
        url: receiver.url,
        match: { severity: 'critical' },
      }),
    ).toMatchObject({
      ok: true,
    });

    const restarted = new AlertDeliverer({ outbox: first.outbox, channels: [], routes: [] });
    await new ApiChannels({
      store: new SqliteChannelStore(first.db),
      deliverer: restarted,
      allowPrivateAddresses: true,
      clock: Date.now,
    }).sync();
    await restarted.publish(makeAlertEvent({ finding: { severity: 'warning' } }));
    await restarted.publish(makeAlertEvent({ finding: { severity: 'critical' } }));
    await restarted.deliverDue();

    expect(receiver.requests).toHaveLength(1);
    expect(JSON.parse(receiver.requests[0].body).joblens.finding.severity).toBe('critical');
  });

  it('names the setting a bad channel gets wrong, and refuses a name taken', async () => {
    const { channels } = setUp(true);
    expect(await channels.create({ name: 'x', type: 'webhook', url: 'http://hooks.example/' })).toEqual({
      ok: false,
      status: 400,
      error: 'channel.secret is required for a webhook channel',
    });
    await channels.create({ name: 'x', type: 'slack', url: 'http://hooks.example/' });
    expect(await channels.create({ name: 'x', type: 'slack', url: 'http://hooks.example/' })).toMatchObject({
      ok: false,
      status: 409,
    });
  });
});
