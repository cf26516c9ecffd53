import { describe, expect, it } from 'vitest';
import type { AlertEvent } from '../../src/findings/alert-event.js';
import type { Finding } from '../../src/findings/finding.js';
import { IncidentLifecycle } from '../../src/findings/incident-lifecycle.js';
import { incidentState } from '../../src/findings/incident-state.js';
import { openDatabase } from '../../src/store/open-database.js';
import { SqliteFindingStore } from '../../src/store/sqlite-finding-store.js';
import { makeFinding, makeOpening } from '../store/make-finding.js';

const HOUR = 3_600_000;

/** A lifecycle over a real store (SQLite in memory), on a clock the test moves. */
async function setUp(options: { reminderHours?: number; finding?: Partial<Finding> } = {}) {
  const finding = makeFinding(options.finding);
  const store = new SqliteFindingStore(openDatabase(':memory:'));
  await store.save([finding], [makeOpening(finding)]);
  const clock = { now: finding.firstSeen };
  const published: AlertEvent[] = [];
  const lifecycle = new IncidentLifecycle({
    store,
    clock: () => clock.now,
    publish: async (event) => {
      published.push(event);
    },
    reminderHours: options.reminderHours,
  });
  /** What the evaluation loop does: remind of the stored open findings at the clock's time. */
  const evaluateAt = async (at: number) => {
    clock.now = at;
    return (await lifecycle.remind(await store.open(), at)).map((f) => f.id);
  };
  return { finding, store, clock, published, lifecycle, evaluateAt };
}

describe('IncidentLifecycle', () => {
  it('acknowledges an open finding, recording by whom and when, and publishes who acknowledged it', async () => {
    const { finding, store, clock, published, lifecycle } = await setUp();
    clock.now = finding.firstSeen + 60_000;
    const result = await lifecycle.acknowledge(finding.id, 'alice');
    expect(result.ok).toBe(true);
    expect(await store.get(finding.id)).toMatchObject({ acknowledgedBy: 'alice', acknowledgedAt: clock.now });
    expect(incidentState((await store.get(finding.id))!, clock.now)).toBe('acknowledged');
    expect((await store.transitions(finding.id)).at(-1)).toMatchObject({
      from: 'open',
      to: 'open',
      event: 'acknowledged',
      actor: 'alice',
      at: clock.now,
    });
    expect(published).toEqual([
      expect.objectContaining({ kind: 'acknowledged', actor: 'alice', at: clock.now }),
    ]);
    expect(published[0].finding).toMatchObject({ id: finding.id, acknowledgedBy: 'alice' });
  });

  it('refuses a second acknowledgement and names who acknowledged first', async () => {
    const { finding, published, lifecycle } = await setUp();
    await lifecycle.acknowledge(finding.id, 'alice');
    const again = await lifecycle.acknowledge(finding.id, 'bob');
    expect(again).toMatchObject({ ok: false, reason: 'conflict' });
    expect(again.ok ? '' : again.message).toContain('alice');
    expect(published).toHaveLength(1);
  });

  it('refuses to acknowledge or snooze a resolved finding, and an unknown id', async () => {
    const { finding, clock, lifecycle } = await setUp({ finding: { status: 'resolved' } });
    expect(await lifecycle.acknowledge(finding.id, 'alice')).toMatchObject({ ok: false, reason: 'conflict' });
    expect(await lifecycle.snooze(finding.id, clock.now + HOUR)).toMatchObject({
      ok: false,
      reason: 'conflict',
    });
    expect(await lifecycle.acknowledge('no-such-id', 'alice')).toMatchObject({
      ok: false,
      reason: 'not_found',
    });
  });

  it('refuses a snooze that ends before now', async () => {
    const { finding, clock, lifecycle } = await setUp();
    expect(await lifecycle.snooze(finding.id, clock.now - 1)).toMatchObject({ ok: false, reason: 'invalid' });
  });

  it('sends a reminder every reminderHours while the finding stays open and unacknowledged', async () => {
    const { finding, published, evaluateAt } = await setUp({ reminderHours: 4 });
    const t0 = finding.firstSeen;
    expect(await evaluateAt(t0 + 4 * HOUR - 1)).toEqual([]);
    expect(await evaluateAt(t0 + 4 * HOUR)).toEqual([finding.id]);
    expect(await evaluateAt(t0 + 5 * HOUR)).toEqual([]);
    expect(await evaluateAt(t0 + 8 * HOUR - 1)).toEqual([]);
    expect(await evaluateAt(t0 + 8 * HOUR)).toEqual([finding.id]);
    expect(published.map((e) => [e.kind, e.at])).toEqual([
      ['reminder', t0 + 4 * HOUR],
      ['reminder', t0 + 8 * HOUR],
    ]);
  });

  it('sends no reminder for an acknowledged finding', async () => {
    const { finding, lifecycle, published, evaluateAt } = await setUp({ reminderHours: 1 });
    await lifecycle.acknowledge(finding.id, 'alice');
    expect(await evaluateAt(finding.firstSeen + 10 * HOUR)).toEqual([]);
    expect(published.map((e) => e.kind)).toEqual(['acknowledged']);
  });

  it('holds reminders while snoozed and sends one as soon as the snooze ends by itself', async () => {
    const { finding, clock, lifecycle, store, evaluateAt } = await setUp({ reminderHours: 4 });
    const t0 = finding.firstSeen;
    clock.now = t0 + HOUR;
    expect((await lifecycle.snooze(finding.id, t0 + 6 * HOUR, 'carol')).ok).toBe(true);
    expect(incidentState((await store.get(finding.id))!, t0 + 2 * HOUR)).toBe('snoozed');
    expect(await evaluateAt(t0 + 4 * HOUR)).toEqual([]);
    expect(await evaluateAt(t0 + 6 * HOUR - 1)).toEqual([]);
    expect(incidentState((await store.get(finding.id))!, t0 + 6 * HOUR)).toBe('open');
    expect(await evaluateAt(t0 + 6 * HOUR)).toEqual([finding.id]);
    expect(await evaluateAt(t0 + 7 * HOUR)).toEqual([]);
    expect(await evaluateAt(t0 + 10 * HOUR)).toEqual([finding.id]);
    expect((await store.transitions(finding.id)).at(-1)).toMatchObject({ event: 'snoozed', actor: 'carol' });
  });

  it('does not remind again while the store fails to record the reminder', async () => {
    const finding = makeFinding();
    const published: AlertEvent[] = [];
    const tracked = new Map([[finding.id, finding]]);
    const failing = new SqliteFindingStore(openDatabase(':memory:'));
    failing.save = async () => {
      throw new Error('disk full');
    };
    const lifecycle = new IncidentLifecycle({
      store: failing,
      clock: () => finding.firstSeen,
      publish: async (event) => {
        published.push(event);
      },
      onChange: (changed) => tracked.set(changed.id, changed),
      reminderHours: 1,
    });
    await expect(lifecycle.remind(tracked.values(), finding.firstSeen + 60 * 60_000)).rejects.toThrow(
      'disk full',
    );
    expect(await lifecycle.remind(tracked.values(), finding.firstSeen + 61 * 60_000)).toEqual([]);
    expect(published.map((e) => e.kind)).toEqual(['reminder']);
  });

  it('sends no reminders with reminderHours 0, and rejects a negative reminderHours naming the option', async () => {
    const { finding, evaluateAt } = await setUp({ reminderHours: 0 });
    expect(await evaluateAt(finding.firstSeen + 100 * HOUR)).toEqual([]);
    await expect(setUp({ reminderHours: -1 })).rejects.toThrow(/alerts\.reminderHours/);
  });
});
