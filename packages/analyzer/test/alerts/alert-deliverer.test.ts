import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AlertDeliverer, type DeliveryResult } from '../../src/alerts/alert-deliverer.js';
import { SlackChannel } from '../../src/alerts/slack-channel.js';
import { openDatabase, type SqliteDatabase } from '../../src/store/open-database.js';
import { SqliteAlertOutbox } from '../../src/store/sqlite-alert-outbox.js';
import { type HttpReceiver, startHttpReceiver } from './http-receiver.js';
import { makeAlertEvent } from './make-alert-event.js';

const HOUR = 3600_000;
const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setUp(options: { status?: number; db?: SqliteDatabase } = {}) {
  const receiver: HttpReceiver = await startHttpReceiver(() => ({ status: options.status ?? 200 }));
  cleanups.push(() => receiver.close());
  const db = options.db ?? openDatabase(':memory:');
  const outbox = new SqliteAlertOutbox(db);
  const clock = { now: 1_800_000_000_000 };
  const results: Array<[string, DeliveryResult]> = [];
  const snoozes = new Map<string, number>();
  const deliverer = new AlertDeliverer({
    outbox,
    channels: [new SlackChannel({ name: 'chat', url: receiver.url })],
    routes: [],
    clock: () => clock.now,
    // The top of each jitter range, so the schedule is the backoff ceiling itself.
    random: () => 1,
    currentFinding: async (id) => ({ snoozedUntil: snoozes.get(id) }),
    onResult: (channel, result) => results.push([channel, result]),
  });
  return { receiver, db, outbox, clock, results, deliverer, snoozes };
}

describe('the alert deliverer', () => {
  it('writes one row per channel before publish returns, and sends it on the next pass', async () => {
    const { receiver, outbox, deliverer, results } = await setUp();
    const event = makeAlertEvent();

    await deliverer.publish(event);
    expect(await outbox.count('pending')).toBe(1);
    expect(receiver.requests).toHaveLength(0);

    await deliverer.deliverDue();
    expect(receiver.requests).toHaveLength(1);
    expect(await outbox.count('pending')).toBe(0);
    expect(results).toEqual([['chat', 'sent']]);
  });

  it('retries a failing receiver with a doubling backoff and delivers once it is back', async () => {
    const { receiver, outbox, deliverer, clock } = await setUp({ status: 503 });
    await deliverer.publish(makeAlertEvent());
    const start = clock.now;

    await deliverer.deliverDue();
    expect((await outbox.list('pending'))[0]).toMatchObject({
      attempts: 1,
      nextAttemptAt: start + 1000,
      lastError: 'answered 503',
    });
    clock.now += 999;
    await deliverer.deliverDue();
    expect(receiver.requests).toHaveLength(1);
    clock.now += 1;
    await deliverer.deliverDue();
    expect((await outbox.list('pending'))[0]).toMatchObject({ attempts: 2, nextAttemptAt: clock.now + 2000 });

    receiver.answer = () => ({ status: 200 });
    clock.now += 2000;
    await deliverer.deliverDue();
    expect(receiver.requests).toHaveLength(3);
    expect((await outbox.list('delivered'))[0]).toMatchObject({ attempts: 3 });
  });

  it('keeps retrying for 24 hours, then dead-letters the delivery and keeps it for people to see', async () => {
    const { receiver, outbox, deliverer, clock, results } = await setUp({ status: 503 });
    await deliverer.publish(makeAlertEvent());
    const start = clock.now;

    for (let i = 0; i < 100 && (await outbox.count('pending')) > 0; i++) {
      await deliverer.deliverDue();
      const [pending] = await outbox.list('pending');
      if (pending) clock.now = pending.nextAttemptAt;
    }

    const [dead] = await outbox.list('dead');
    expect(dead.finishedAt! - start).toBeGreaterThanOrEqual(24 * HOUR);
    // The backoff stops doubling at an hour: a receiver back after a long outage hears within the hour.
    expect(dead.finishedAt! - start).toBeLessThan(25 * HOUR);
    expect(receiver.requests.length).toBeGreaterThan(24);
    expect(results.at(-1)).toEqual(['chat', 'dead']);
  });

  it('dead-letters at once what the receiver refuses for good', async () => {
    const { receiver, outbox, deliverer } = await setUp({ status: 410 });
    await deliverer.publish(makeAlertEvent());
    await deliverer.deliverDue();
    await deliverer.deliverDue();
    expect(receiver.requests).toHaveLength(1);
    expect((await outbox.list('dead'))[0]).toMatchObject({ attempts: 1, lastError: 'answered 410' });
  });

  it('skips a reminder for a finding snoozed when it is due, but still sends its resolution', async () => {
    const { receiver, deliverer, clock, snoozes, results } = await setUp();
    const reminder = makeAlertEvent({ kind: 'reminder' });
    snoozes.set(reminder.finding.id, clock.now + HOUR);
    await deliverer.publish(reminder);
    await deliverer.publish({ ...reminder, id: 'resolved-1', kind: 'resolved' });

    // Two passes: the resolution waits for the reminder ahead of it to be settled.
    await deliverer.deliverDue();
    await deliverer.deliverDue();

    expect(receiver.requests.map((r) => JSON.parse(r.body).joblens.event)).toEqual(['resolved']);
    expect(results.map(([, result]) => result).sort()).toEqual(['sent', 'skipped']);
  });

  it("holds a finding's later events behind one being retried, so a resolve never overtakes its opening", async () => {
    const { receiver, deliverer, clock } = await setUp({ status: 503 });
    const opened = makeAlertEvent();
    await deliverer.publish(opened);
    await deliverer.publish({ ...opened, id: `${opened.id}-resolved`, kind: 'resolved' });
    await deliverer.publish(makeAlertEvent());

    await deliverer.deliverDue();
    clock.now += 1000;
    receiver.answer = () => ({ status: 200 });
    await deliverer.deliverDue();
    await deliverer.deliverDue();

    const sent = receiver.requests.map((r) => JSON.parse(r.body).joblens);
    const ofFinding = sent.filter((j) => j.finding.id === opened.finding.id).map((j) => j.event);
    expect(ofFinding).toEqual(['opened', 'opened', 'resolved']);
  });

  it("once started, sends a finding's next event as soon as the one ahead is settled, not at the next poll", async () => {
    const receiver = await startHttpReceiver();
    cleanups.push(() => receiver.close());
    const deliverer = new AlertDeliverer({
      outbox: new SqliteAlertOutbox(openDatabase(':memory:')),
      channels: [new SlackChannel({ name: 'chat', url: receiver.url })],
      routes: [],
      pollIntervalMillis: 3600_000,
    });
    cleanups.push(() => deliverer.stop());
    // Both queued before the loop starts, so nothing but the settled opening can wake it for the resolve.
    const opened = makeAlertEvent();
    await deliverer.publish(opened);
    await deliverer.publish({ ...opened, id: `${opened.id}-resolved`, kind: 'resolved' });
    deliverer.start();

    for (let i = 0; i < 200 && receiver.requests.length < 2; i++) await new Promise((r) => setTimeout(r, 25));

    expect(receiver.requests.map((r) => JSON.parse(r.body).joblens.event)).toEqual(['opened', 'resolved']);
  });

  it('gives a failing channel one try per pass, however many rows wait for it', async () => {
    const { receiver, deliverer } = await setUp({ status: 503 });
    for (let i = 0; i < 5; i++) await deliverer.publish(makeAlertEvent());
    await deliverer.deliverDue();
    expect(receiver.requests).toHaveLength(1);
  });

  it('queues an event enqueued twice once per channel', async () => {
    const { outbox, deliverer } = await setUp();
    const event = makeAlertEvent();
    await deliverer.publish(event);
    await deliverer.publish(event);
    expect(await outbox.count('pending')).toBe(1);
  });

  it('sends after a restart what an earlier process queued but never delivered', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'joblens-outbox-'));
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
    const first = openDatabase(dataDir);
    const before = await setUp({ db: first, status: 503 });
    await before.deliverer.publish(makeAlertEvent());
    await before.deliverer.deliverDue();
    // No stop(), no flush: the process is gone, only the file is left.
    first.close();

    const after = await setUp({ db: openDatabase(dataDir) });
    cleanups.push(() => after.db.close());
    after.clock.now += 1000;
    await after.deliverer.deliverDue();
    expect(after.receiver.requests).toHaveLength(1);
    expect((await after.outbox.list('delivered'))[0]).toMatchObject({ attempts: 2 });
  });
});
