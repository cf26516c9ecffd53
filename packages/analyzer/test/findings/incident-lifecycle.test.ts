import { describe, expect, it } from 'vitest';
import type { AlertEvent } from '../../src/alerts/alert-event.js';
import type { Finding } from '../../src/findings/finding.js';
import { IncidentLifecycle } from '../../src/findings/incident-lifecycle.js';
import { incidentState } from '../../src/findings/incident-state.js';
import { MemoryFindingStore } from '../../src/store/memory-finding-store.js';
import { makeFinding, makeOpening } from '../store/make-finding.js';

const HOUR = 3_600_000;

/** A lifecycle over a real in-memory store, on a clock the test moves. */
function setUp(options: { reminderHours?: number; finding?: Partial<Finding> } = {}) {
  const finding = makeFinding(options.finding);
  const store = new MemoryFindingStore();
  store.save([finding], [makeOpening(finding)]);
  const clock = { now: finding.firstSeen };
  const published: AlertEvent[] = [];
  const lifecycle = new IncidentLifecycle({
    store,
    clock: () => clock.now,
    publish: (event) => published.push(event),
    reminderHours: options.reminderHours,
  });
  /** What the evaluation loop does: remind of the stored open findings at the clock's time. */
  const evaluateAt = (at: number) => {
    clock.now = at;
    return lifecycle.remind(store.open(), at).map((f) => f.id);
  };
  return { finding, store, clock, published, lifecycle, evaluateAt };
}

describe('IncidentLifecycle', () => {
  it('acknowledges an open finding, recording by whom and when, and publishes who acknowledged it', () => {
    const { finding, store, clock, published, lifecycle } = setUp();
    clock.now = finding.firstSeen + 60_000;
    const result = lifecycle.acknowledge(finding.id, 'alice');
    expect(result.ok).toBe(true);
    expect(store.get(finding.id)).toMatchObject({ acknowledgedBy: 'alice', acknowledgedAt: clock.now });
    expect(incidentState(store.get(finding.id)!, clock.now)).toBe('acknowledged');
    expect(store.transitions(finding.id).at(-1)).toMatchObject({
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

  it('refuses a second acknowledgement and names who acknowledged first', () => {
    const { finding, published, lifecycle } = setUp();
    lifecycle.acknowledge(finding.id, 'alice');
    const again = lifecycle.acknowledge(finding.id, 'bob');
    expect(again).toMatchObject({ ok: false, reason: 'conflict' });
    expect(again.ok ? '' : again.message).toContain('alice');
    expect(published).toHaveLength(1);
  });

  it('refuses to acknowledge or snooze a resolved finding, and an unknown id', () => {
    const { finding, clock, lifecycle } = setUp({ finding: { status: 'resolved' } });
    expect(lifecycle.acknowledge(finding.id, 'alice')).toMatchObject({ ok: false, reason: 'conflict' });
    expect(lifecycle.snooze(finding.id, clock.now + HOUR)).toMatchObject({ ok: false, reason: 'conflict' });
    expect(lifecycle.acknowledge('no-such-id', 'alice')).toMatchObject({ ok: false, reason: 'not_found' });
  });

  it('refuses a snooze that ends before now', () => {
    const { finding, clock, lifecycle } = setUp();
    expect(lifecycle.snooze(finding.id, clock.now - 1)).toMatchObject({ ok: false, reason: 'invalid' });
  });

  it('sends a reminder every reminderHours while the finding stays open and unacknowledged', () => {
    const { finding, published, evaluateAt } = setUp({ reminderHours: 4 });
    const t0 = finding.firstSeen;
    expect(evaluateAt(t0 + 4 * HOUR - 1)).toEqual([]);
    expect(evaluateAt(t0 + 4 * HOUR)).toEqual([finding.id]);
    expect(evaluateAt(t0 + 5 * HOUR)).toEqual([]);
    expect(evaluateAt(t0 + 8 * HOUR - 1)).toEqual([]);
    expect(evaluateAt(t0 + 8 * HOUR)).toEqual([finding.id]);
    expect(published.map((e) => [e.kind, e.at])).toEqual([
      ['reminder', t0 + 4 * HOUR],
      ['reminder', t0 + 8 * HOUR],
    ]);
  });

  it('sends no reminder for an acknowledged finding', () => {
    const { finding, lifecycle, published, evaluateAt } = setUp({ reminderHours: 1 });
    lifecycle.acknowledge(finding.id, 'alice');
    expect(evaluateAt(finding.firstSeen + 10 * HOUR)).toEqual([]);
    expect(published.map((e) => e.kind)).toEqual(['acknowledged']);
  });

  it('holds reminders while snoozed and sends one as soon as the snooze ends by itself', () => {
    const { finding, clock, lifecycle, store, evaluateAt } = setUp({ reminderHours: 4 });
    const t0 = finding.firstSeen;
    clock.now = t0 + HOUR;
    expect(lifecycle.snooze(finding.id, t0 + 6 * HOUR, 'carol').ok).toBe(true);
    expect(incidentState(store.get(finding.id)!, t0 + 2 * HOUR)).toBe('snoozed');
    expect(evaluateAt(t0 + 4 * HOUR)).toEqual([]);
    expect(evaluateAt(t0 + 6 * HOUR - 1)).toEqual([]);
    expect(incidentState(store.get(finding.id)!, t0 + 6 * HOUR)).toBe('open');
    expect(evaluateAt(t0 + 6 * HOUR)).toEqual([finding.id]);
    expect(evaluateAt(t0 + 7 * HOUR)).toEqual([]);
    expect(evaluateAt(t0 + 10 * HOUR)).toEqual([finding.id]);
    expect(store.transitions(finding.id).at(-1)).toMatchObject({ event: 'snoozed', actor: 'carol' });
  });

  it('does not remind again while the store fails to record the reminder', () => {
    const finding = makeFinding();
    const published: AlertEvent[] = [];
    const tracked = new Map([[finding.id, finding]]);
    const failing = new MemoryFindingStore();
    failing.save = () => {
      throw new Error('disk full');
    };
    const lifecycle = new IncidentLifecycle({
      store: failing,
      clock: () => finding.firstSeen,
      publish: (event) => published.push(event),
      onChange: (changed) => tracked.set(changed.id, changed),
      reminderHours: 1,
    });
    expect(() => lifecycle.remind(tracked.values(), finding.firstSeen + 60 * 60_000)).toThrow('disk full');
    expect(lifecycle.remind(tracked.values(), finding.firstSeen + 61 * 60_000)).toEqual([]);
    expect(published.map((e) => e.kind)).toEqual(['reminder']);
  });

  it('sends no reminders with reminderHours 0, and rejects a negative reminderHours naming the option', () => {
    const { finding, evaluateAt } = setUp({ reminderHours: 0 });
    expect(evaluateAt(finding.firstSeen + 100 * HOUR)).toEqual([]);
    expect(() => setUp({ reminderHours: -1 })).toThrow(/alerts\.reminderHours/);
  });
});
