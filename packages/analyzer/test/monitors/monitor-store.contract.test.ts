import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { MonitorTransition } from '../../src/monitors/evaluate-monitor.js';
import { alertForMonitorTransition } from '../../src/monitors/monitor-alert.js';
import { initialCursor } from '../../src/monitors/monitor-cursor.js';
import {
  MAX_PING_BODIES_PER_MONITOR,
  type MonitorRecord,
  type MonitorStep,
  type NewPing,
} from '../../src/monitors/monitor-store.js';
import { at, makeDefinition } from './monitor-factories.js';
import {
  type MonitorDatabase,
  type MonitorStoreHandle,
  postgresMonitorBackend,
  sqliteMonitorBackend,
} from './monitor-store-backends.js';

const T0 = at('12:00:00');
const backends = [sqliteMonitorBackend(), postgresMonitorBackend()];
afterAll(async () => {
  for (const backend of backends) await backend.dispose();
});

const success = (atMs: number, extra: Partial<NewPing> = {}): NewPing => ({
  event: { type: 'success', atMs },
  source: 'http',
  detail: {},
  ...extra,
});

/** A step that moves the cursor to `atMs` and records the transitions given, with no alert rows. */
const moveTo =
  (atMs: number, transitions: MonitorTransition[] = []) =>
  (record: MonitorRecord): MonitorStep => ({ cursor: { ...record.cursor, atMs }, transitions });

describe.each(backends)('the monitor store on $name', (backend) => {
  let database: MonitorDatabase | undefined;
  afterEach(async () => {
    await database?.close();
    database = undefined;
  });
  async function open(): Promise<MonitorStoreHandle> {
    database ??= await backend.fresh();
    return database.open();
  }

  it('lists a defined monitor with its definition, origin and cursor, and knows no other', async () => {
    const { store } = await open();
    const definition = makeDefinition({ slug: 'backup', service: 'billing', jobName: 'nightly' });
    const stored = await store.define(definition, 'api', T0, initialCursor(T0));
    expect(stored).toEqual({
      definition,
      origin: 'api',
      createdAtMs: T0,
      updatedAtMs: T0,
      cursor: initialCursor(T0),
    });
    expect(await store.list()).toEqual([stored]);
    expect(await store.get('backup')).toEqual(stored);
    expect(await store.get('nobody')).toBeUndefined();
  });

  it('replaces a definition without rewinding its cursor or its creation time', async () => {
    const { store } = await open();
    await store.define(makeDefinition({ slug: 'backup' }), 'config', T0, initialCursor(T0));
    await store.advance('backup', [success(T0 + 1000)], moveTo(T0 + 1000));
    const edited = makeDefinition({ slug: 'backup', graceSeconds: 600 });
    const later = T0 + 60_000;
    const replaced = await store.define(edited, 'api', later, initialCursor(later));
    expect(replaced).toMatchObject({
      definition: edited,
      origin: 'api',
      createdAtMs: T0,
      updatedAtMs: later,
    });
    expect(replaced.cursor.atMs).toBe(T0 + 1000);
  });

  it('stores a step’s pings, transitions and cursor together, oldest first', async () => {
    const { store } = await open();
    await store.define(makeDefinition({ slug: 'etl' }), 'api', T0, initialCursor(T0));
    const transitions: MonitorTransition[] = [
      { atMs: T0 + 1, from: 'new', to: 'running', reason: 'start', runId: 'r1' },
      { atMs: T0 + 2, from: 'running', to: 'down', reason: 'failure', runId: 'r1', exitCode: 3 },
    ];
    const advanced = await store.advance(
      'etl',
      [
        {
          event: { type: 'start', atMs: T0 + 1, runId: 'r1' },
          source: 'telemetry',
          detail: { traceId: 'abc' },
        },
        {
          event: { type: 'failure', atMs: T0 + 2, runId: 'r1', exitCode: 3 },
          source: 'http',
          body: 'disk full\n',
          detail: { method: 'POST' },
        },
      ],
      moveTo(T0 + 2, transitions),
    );
    expect(advanced?.transitions).toEqual(transitions);
    expect(advanced?.record.cursor.atMs).toBe(T0 + 2);
    expect((await store.get('etl'))?.cursor.atMs).toBe(T0 + 2);
    expect(await store.transitions('etl')).toEqual(transitions.map((t) => ({ ...t, slug: 'etl' })));
    const pings = await store.pings('etl');
    expect(pings.map(({ seq: _seq, ...ping }) => ping)).toEqual([
      {
        slug: 'etl',
        event: { type: 'start', atMs: T0 + 1, runId: 'r1' },
        source: 'telemetry',
        detail: { traceId: 'abc' },
      },
      {
        slug: 'etl',
        event: { type: 'failure', atMs: T0 + 2, runId: 'r1', exitCode: 3 },
        source: 'http',
        body: 'disk full\n',
        detail: { method: 'POST' },
      },
    ]);
    expect(pings[0].seq).toBeLessThan(pings[1].seq);
  });

  it('hands the step the cursor as stored, and stores nothing for an unknown monitor', async () => {
    const { store } = await open();
    let called = false;
    const advanced = await store.advance('ghost', [success(T0)], (record) => {
      called = true;
      return moveTo(T0)(record);
    });
    expect(advanced).toBeUndefined();
    expect(called).toBe(false);
    expect(await store.pings('ghost')).toEqual([]);
  });

  it('writes a step’s alert rows to the outbox in the same transaction, and nothing when the step throws', async () => {
    const { store, outbox } = await open();
    const definition = makeDefinition({ slug: 'backup' });
    await store.define(definition, 'api', T0, initialCursor(T0));
    const down: MonitorTransition = { atMs: T0 + 5, from: 'grace', to: 'down', reason: 'missed' };
    const event = alertForMonitorTransition(definition, down);
    if (!event) throw new Error('a monitor going down raises an alert');
    await expect(
      store.advance('backup', [success(T0 + 4)], () => {
        throw new Error('the step failed');
      }),
    ).rejects.toThrow('the step failed');
    expect(await store.pings('backup')).toEqual([]);
    expect(await outbox.count('pending')).toBe(0);

    await store.advance('backup', [], (record) => ({
      cursor: { ...record.cursor, atMs: T0 + 5 },
      transitions: [down],
      alerts: [{ event, channels: ['chat'], at: T0 + 5 }],
    }));
    expect((await outbox.list('pending')).map((entry) => entry.id)).toEqual([`${event.id}:chat`]);
  });

  it('runs concurrent steps on one monitor one after another, from two analyzers', async () => {
    const first = await open();
    const second = await open();
    await first.store.define(makeDefinition({ slug: 'busy' }), 'api', T0, initialCursor(T0));
    const bump = (record: MonitorRecord): MonitorStep => ({
      cursor: { ...record.cursor, consecutiveFailures: record.cursor.consecutiveFailures + 1 },
      transitions: [],
    });
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        (i % 2 === 0 ? first : second).store.advance('busy', [success(T0 + i)], bump),
      ),
    );
    expect((await second.store.get('busy'))?.cursor.consecutiveFailures).toBe(20);
    expect(await first.store.pings('busy', 100)).toHaveLength(20);
  });

  it('lists a monitor another analyzer defined and forgets it, its pings and transitions once deleted', async () => {
    const first = await open();
    const second = await open();
    await first.store.define(makeDefinition({ slug: 'gone' }), 'api', T0, initialCursor(T0));
    await first.store.advance(
      'gone',
      [success(T0 + 1)],
      moveTo(T0 + 1, [{ atMs: T0 + 1, from: 'new', to: 'up', reason: 'success' }]),
    );
    expect((await second.store.list()).map((r) => r.definition.slug)).toEqual(['gone']);
    expect(await second.store.delete('gone')).toBe(true);
    expect(await second.store.delete('gone')).toBe(false);
    expect(await first.store.list()).toEqual([]);
    expect(await first.store.pings('gone')).toEqual([]);
    expect(await first.store.transitions('gone')).toEqual([]);
  });

  it('returns the newest pings, oldest first, and keeps bodies for the newest only', async () => {
    const { store } = await open();
    await store.define(makeDefinition({ slug: 'chatty' }), 'api', T0, initialCursor(T0));
    const pings = Array.from({ length: 120 }, (_, i) => success(T0 + i, { body: `log ${i}` }));
    await store.advance('chatty', pings, moveTo(T0 + 119));
    const newest = await store.pings('chatty', 3);
    expect(newest.map((p) => p.body)).toEqual(['log 117', 'log 118', 'log 119']);
    const all = await store.pings('chatty', 1000);
    expect(all).toHaveLength(120);
    const bodies = all.filter((p) => p.body !== undefined).map((p) => p.body);
    expect(bodies).toHaveLength(MAX_PING_BODIES_PER_MONITOR);
    expect(bodies[0]).toBe(`log ${120 - MAX_PING_BODIES_PER_MONITOR}`);
  });
});
