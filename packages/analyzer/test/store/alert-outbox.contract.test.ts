import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { AlertOutbox } from '../../src/alerts/alert-outbox.js';
import { makeAlertEvent } from '../alerts/make-alert-event.js';
import { type BackendUnderTest, storeBackends } from './store-backends.js';

const DAY = 24 * 3600_000;
const NOW = 1_800_000_000_000;
const LEASE = 60_000;

const backends = storeBackends();
afterAll(async () => {
  for (const backend of backends) await backend.dispose();
});

describe.each(backends)('the alert outbox on $name', (backend) => {
  let current: BackendUnderTest | undefined;
  afterEach(async () => {
    await current?.close();
    current = undefined;
  });
  async function open(owner?: string): Promise<AlertOutbox> {
    current ??= await backend.fresh();
    return current.stores(owner).outbox;
  }
  const queue = (outbox: AlertOutbox, event = makeAlertEvent(), channels = ['chat'], at = NOW) =>
    outbox.enqueue([{ event, channels, at }]).then(() => event);

  it('keeps one row per event and channel, however often the event is queued', async () => {
    const outbox = await open();
    const event = await queue(outbox, makeAlertEvent(), ['chat', 'pager']);
    await queue(outbox, event, ['chat', 'pager']);
    expect(await outbox.count('pending')).toBe(2);
    expect((await outbox.list('pending')).map((e) => e.id).sort()).toEqual([
      `${event.id}:chat`,
      `${event.id}:pager`,
    ]);
  });

  it('hands out only the oldest pending event of a finding per channel, until it is settled', async () => {
    const outbox = await open();
    const first = await queue(outbox);
    const second = await queue(outbox, { ...makeAlertEvent(), finding: first.finding }, ['chat'], NOW + 1);
    const [claimed] = await outbox.claimDue(NOW + 10, 10, LEASE);
    expect(claimed.event.id).toBe(first.id);
    expect(await outbox.claimDue(NOW + 10 + LEASE, 10, LEASE)).toMatchObject([{ event: { id: first.id } }]);
    await outbox.record({ ...claimed, status: 'delivered', attempts: 1, finishedAt: NOW + 20 });
    expect((await outbox.claimDue(NOW + 30, 10, LEASE)).map((e) => e.event.id)).toEqual([second.id]);
  });

  it('hides a claimed row from every other claimer until its lease runs out', async () => {
    current = await backend.fresh();
    const a = current.stores('analyzer-a').outbox;
    const b = current.stores('analyzer-b').outbox;
    for (let i = 0; i < 20; i++) await queue(a);
    const [mine, theirs] = await Promise.all([a.claimDue(NOW, 15, LEASE), b.claimDue(NOW, 15, LEASE)]);
    const ids = [...mine, ...theirs].map((e) => e.id);
    expect(ids).toHaveLength(20);
    expect(new Set(ids).size).toBe(20);
    expect(await b.claimDue(NOW + LEASE - 1, 50, LEASE)).toEqual([]);
    // Its analyzer died mid-send: once the lease ends another one sends it.
    expect(await b.claimDue(NOW + LEASE, 50, LEASE)).toHaveLength(20);
  });

  it('lets an analyzer restarted after a kill take back at once the rows it had claimed', async () => {
    current = await backend.fresh();
    const before = current.stores('analyzer-a').outbox;
    await queue(before);
    expect(await before.claimDue(NOW, 10, LEASE)).toHaveLength(1);
    const after = current.stores('analyzer-a').outbox;
    await after.releaseClaims();
    expect(await after.claimDue(NOW + 1, 10, LEASE)).toHaveLength(1);
  });

  it('waits for a retry until its time, and records what the delivery loop decided', async () => {
    const outbox = await open();
    await queue(outbox);
    const [entry] = await outbox.claimDue(NOW, 1, LEASE);
    await outbox.record({ ...entry, attempts: 1, nextAttemptAt: NOW + 5000, lastError: 'answered 503' });
    expect(await outbox.claimDue(NOW + 4999, 10, LEASE)).toEqual([]);
    expect(await outbox.claimDue(NOW + 5000, 10, LEASE)).toMatchObject([
      { attempts: 1, lastError: 'answered 503', status: 'pending' },
    ]);
  });

  it('puts a dead letter back in line with a fresh retry window, and nothing else', async () => {
    const outbox = await open();
    await queue(outbox);
    const [entry] = await outbox.claimDue(NOW, 1, LEASE);
    await outbox.record({ ...entry, status: 'dead', attempts: 3, finishedAt: NOW + 1 });
    expect(await outbox.retry('no-such-id', NOW + 2)).toBe(false);
    expect(await outbox.retry(entry.id, NOW + 2)).toBe(true);
    expect(await outbox.retry(entry.id, NOW + 3)).toBe(false);
    expect(await outbox.list('pending')).toMatchObject([{ id: entry.id, createdAt: NOW + 2, attempts: 3 }]);
    expect(await outbox.claimDue(NOW + 2, 1, LEASE)).toHaveLength(1);
  });

  it('forgets delivered rows after a week but keeps newer ones and everything pending', async () => {
    const outbox = await open();
    for (const [age, status] of [
      [8 * DAY, 'delivered'],
      [6 * DAY, 'delivered'],
      [30 * DAY, 'pending'],
    ] as const) {
      await queue(outbox, makeAlertEvent(), ['chat'], NOW - age);
      if (status === 'delivered') {
        const [entry] = await outbox.claimDue(NOW, 1, LEASE);
        await outbox.record({ ...entry, status, finishedAt: NOW - age });
      }
    }
    await outbox.prune(NOW);
    expect(await outbox.count('delivered')).toBe(1);
    expect(await outbox.count('pending')).toBe(1);
  });

  it('keeps the newest 1000 dead letters', async () => {
    const outbox = await open();
    await outbox.enqueue(
      Array.from({ length: 1005 }, () => ({ event: makeAlertEvent(), channels: ['chat'], at: NOW })),
    );
    const due = await outbox.claimDue(NOW, 2000, LEASE);
    for (const [i, entry] of due.entries())
      await outbox.record({ ...entry, status: 'dead', finishedAt: NOW + i });
    await outbox.prune(NOW);
    expect(await outbox.count('dead')).toBe(1000);
    expect(Math.min(...(await outbox.list('dead', 2000)).map((e) => e.finishedAt ?? 0))).toBe(NOW + 5);
  });
});
