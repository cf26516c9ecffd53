import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/store/open-database.js';
import { SqliteAlertOutbox } from '../../src/store/sqlite-alert-outbox.js';
import { makeAlertEvent } from '../alerts/make-alert-event.js';

const DAY = 24 * 3600_000;

describe('the alert outbox table', () => {
  it('forgets delivered rows after a week but keeps newer ones and everything pending', () => {
    const outbox = new SqliteAlertOutbox(openDatabase(':memory:'));
    const now = 1_800_000_000_000;
    for (const [age, status] of [
      [8 * DAY, 'delivered'],
      [6 * DAY, 'delivered'],
      [30 * DAY, 'pending'],
    ] as const) {
      const event = makeAlertEvent();
      outbox.enqueue(event, ['chat'], now - age);
      if (status === 'delivered') {
        const [entry] = outbox.due(now, 1);
        outbox.record({ ...entry, status, finishedAt: now - age });
      }
    }

    outbox.prune(now);

    expect(outbox.count('delivered')).toBe(1);
    expect(outbox.count('pending')).toBe(1);
  });

  it('keeps the newest 1000 dead letters', () => {
    const outbox = new SqliteAlertOutbox(openDatabase(':memory:'));
    const now = 1_800_000_000_000;
    for (let i = 0; i < 1005; i++) outbox.enqueue(makeAlertEvent(), ['chat'], now);
    outbox.due(now, 2000).forEach((entry, i) => {
      outbox.record({ ...entry, status: 'dead', finishedAt: now + i });
    });

    outbox.prune(now);

    expect(outbox.count('dead')).toBe(1000);
    expect(Math.min(...outbox.list('dead', 2000).map((e) => e.finishedAt ?? 0))).toBe(now + 5);
  });
});
