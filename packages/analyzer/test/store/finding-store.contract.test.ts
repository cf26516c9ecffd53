import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { FindingTransition } from '../../src/findings/finding.js';
import type { FindingStore } from '../../src/findings/finding-store.js';
import { makeAlertEvent } from '../alerts/make-alert-event.js';
import { makeFinding, makeOpening } from './make-finding.js';
import { type BackendUnderTest, storeBackends } from './store-backends.js';

const backends = storeBackends();
afterAll(async () => {
  for (const backend of backends) await backend.dispose();
});

describe.each(backends)('the finding store on $name', (backend) => {
  let current: BackendUnderTest | undefined;
  afterEach(async () => {
    await current?.close();
    current = undefined;
  });
  async function open(owner?: string): Promise<FindingStore> {
    current ??= await backend.fresh();
    return current.stores(owner).findings;
  }
  const resolution = (id: string, at: number): FindingTransition => ({
    findingId: id,
    at,
    from: 'open',
    to: 'resolved',
    summary: 'gap no longer seen',
  });

  it('gives back a saved finding exactly as it was saved', async () => {
    const store = await open();
    const finding = makeFinding({ resolvedAt: undefined });
    await store.save([finding], [makeOpening(finding)]);
    expect(await store.get(finding.id)).toEqual(finding);
    expect(await store.get('no-such-id')).toBeUndefined();
  });

  it('updates a finding in place and keeps every transition in order', async () => {
    const store = await open();
    const finding = makeFinding();
    await store.save([finding], [makeOpening(finding)]);
    const at = finding.lastSeen + 60_000;
    const resolved = { ...finding, status: 'resolved' as const, lastSeen: at, resolvedAt: at };
    await store.save([resolved], [resolution(finding.id, at)]);
    expect(await store.get(finding.id)).toEqual(resolved);
    expect((await store.transitions(finding.id)).map((t) => [t.from, t.to])).toEqual([
      [null, 'open'],
      ['open', 'resolved'],
    ]);
    expect(await store.open()).toEqual([]);
  });

  it('lists newest first and narrows by type, status, service, queue, worker and limit', async () => {
    const store = await open();
    const old = makeFinding({ lastSeen: 1000 });
    const mid = makeFinding({
      lastSeen: 2000,
      type: 'silent_worker',
      subject: { service: 'mail', worker: 'w-9' },
    });
    const recent = makeFinding({
      lastSeen: 3000,
      status: 'resolved',
      resolvedAt: 3000,
      subject: { service: 'billing', queue: 'refunds' },
    });
    await store.save([old, mid, recent], []);
    const ids = async (filter?: Parameters<FindingStore['list']>[0]) =>
      (await store.list(filter)).map((f) => f.id);
    expect(await ids()).toEqual([recent.id, mid.id, old.id]);
    expect(await ids({ type: 'silent_worker' })).toEqual([mid.id]);
    expect(await ids({ status: 'open' })).toEqual([mid.id, old.id]);
    expect(await ids({ service: 'billing' })).toEqual([recent.id, old.id]);
    expect(await ids({ queue: 'refunds' })).toEqual([recent.id]);
    expect(await ids({ worker: 'w-9' })).toEqual([mid.id]);
    expect(await ids({ limit: 1 })).toEqual([recent.id]);
    expect(await ids({ service: 'billing', status: 'open' })).toEqual([old.id]);
    expect((await store.open()).map((f) => f.id)).toEqual([mid.id, old.id]);
  });

  it('hands out copies, so callers cannot change what is stored', async () => {
    const store = await open();
    const finding = makeFinding();
    await store.save([finding], []);
    const copy = (await store.get(finding.id))!;
    copy.evidence.figures.gapSeconds = 999;
    expect((await store.get(finding.id))?.evidence.figures.gapSeconds).toBe(7);
  });

  it('gives back who acknowledged a finding, when, its snooze and its last reminder', async () => {
    const store = await open();
    const finding = makeFinding();
    await store.save([finding], [makeOpening(finding)]);
    const acknowledged = {
      ...finding,
      acknowledgedBy: 'alice',
      acknowledgedAt: finding.firstSeen + 60_000,
      snoozedUntil: finding.firstSeen + 3_600_000,
      remindedAt: finding.firstSeen + 30_000,
    };
    await store.save([acknowledged], []);
    expect(await store.get(finding.id)).toEqual(acknowledged);
    expect(await store.open()).toEqual([acknowledged]);
  });

  it('records an acknowledgement as a transition naming who acted, between the others', async () => {
    const store = await open();
    const finding = makeFinding();
    await store.save([finding], [makeOpening(finding)]);
    const at = finding.firstSeen + 60_000;
    const acknowledgement: FindingTransition = {
      findingId: finding.id,
      at,
      from: 'open',
      to: 'open',
      summary: 'acknowledged by alice',
      event: 'acknowledged',
      actor: 'alice',
    };
    await store.save([{ ...finding, acknowledgedBy: 'alice', acknowledgedAt: at }], [acknowledgement]);
    await store.save(
      [{ ...finding, status: 'resolved', resolvedAt: at + 1000 }],
      [{ findingId: finding.id, at: at + 1000, from: 'open', to: 'resolved', summary: 'gone' }],
    );
    expect(await store.transitions(finding.id)).toEqual([
      makeOpening(finding),
      acknowledgement,
      { findingId: finding.id, at: at + 1000, from: 'open', to: 'resolved', summary: 'gone' },
    ]);
  });

  it('clears a snooze when the finding is saved without one', async () => {
    const store = await open();
    const finding = makeFinding({ snoozedUntil: 1_800_000_000_000 });
    await store.save([finding], []);
    const { snoozedUntil: _cleared, ...unsnoozed } = finding;
    await store.save([unsnoozed], []);
    expect(await store.get(finding.id)).toEqual(unsnoozed);
  });

  it('writes the alerts of the transitions it recorded into the outbox, in the same save', async () => {
    current = await backend.fresh();
    const { findings, outbox } = current.stores();
    const finding = makeFinding();
    const event = makeAlertEvent({ finding });
    const recorded = await findings.save([finding], [makeOpening(finding)], {
      alertsFor: (kept) => kept.map(() => ({ event, channels: ['chat', 'pager'], at: 1000 })),
    });
    expect(recorded).toEqual([makeOpening(finding)]);
    expect((await outbox.list('pending')).map((e) => e.channel).sort()).toEqual(['chat', 'pager']);
  });

  it('writes nothing of a save whose alerts cannot be written', async () => {
    current = await backend.fresh();
    const { findings, outbox } = current.stores();
    const finding = makeFinding();
    await expect(
      findings.save([finding], [makeOpening(finding)], {
        alertsFor: () => {
          throw new Error('routing failed');
        },
      }),
    ).rejects.toThrow('routing failed');
    expect(await findings.get(finding.id)).toBeUndefined();
    expect(await findings.transitions(finding.id)).toEqual([]);
    expect(await outbox.count('pending')).toBe(0);
  });

  it('records an opening once when two analyzers raise the same finding, and alerts once', async () => {
    current = await backend.fresh();
    const a = current.stores('analyzer-a');
    const b = current.stores('analyzer-b');
    const finding = makeFinding();
    const alertsFor = (kept: readonly FindingTransition[]) =>
      kept.map(() => ({ event: makeAlertEvent({ finding }), channels: ['chat'], at: 1000 }));
    const [first, second] = await Promise.all([
      a.findings.save([finding], [makeOpening(finding)], { alertsFor }),
      b.findings.save([{ ...finding, lastSeen: finding.lastSeen + 1 }], [makeOpening(finding)], {
        alertsFor,
      }),
    ]);
    expect(first.length + second.length).toBe(1);
    expect(await a.findings.transitions(finding.id)).toHaveLength(1);
    expect(await a.outbox.count('pending')).toBe(1);

    const at = finding.lastSeen + 60_000;
    const resolved = { ...finding, status: 'resolved' as const, resolvedAt: at };
    expect(await b.findings.save([resolved], [resolution(finding.id, at)], { alertsFor })).toHaveLength(1);
    expect(await a.findings.save([resolved], [resolution(finding.id, at + 5)], { alertsFor })).toEqual([]);
    expect((await a.findings.transitions(finding.id)).map((t) => t.to)).toEqual(['open', 'resolved']);
    expect(await a.outbox.count('pending')).toBe(2);
  });

  it('raises a severity once, whichever analyzer stores it first', async () => {
    const store = await open();
    const finding = makeFinding();
    await store.save([finding], [makeOpening(finding)]);
    const critical = { ...finding, severity: 'critical' as const };
    const raise: FindingTransition = {
      findingId: finding.id,
      at: finding.lastSeen + 1,
      from: 'open',
      to: 'open',
      summary: 'now critical',
    };
    expect(await store.save([critical], [raise])).toEqual([raise]);
    expect(await store.save([critical], [{ ...raise, at: raise.at + 1 }])).toEqual([]);
  });

  it('names as owner the analyzer that recorded the latest status change', async () => {
    current = await backend.fresh();
    const a = current.stores('analyzer-a').findings;
    const b = current.stores('analyzer-b').findings;
    const ownedByA = makeFinding();
    const ownedByB = makeFinding();
    await a.save([ownedByA], [makeOpening(ownedByA)]);
    await b.save([ownedByB], [makeOpening(ownedByB)]);
    // B saw A's fault too: it updates the finding but records nothing, so A still owns it.
    await b.save([{ ...ownedByA, lastSeen: ownedByA.lastSeen + 1 }], [makeOpening(ownedByA)]);
    expect((await a.open({ owner: 'analyzer-a' })).map((f) => f.id)).toEqual([ownedByA.id]);
    expect((await a.open({ owner: 'analyzer-b' })).map((f) => f.id)).toEqual([ownedByB.id]);
    expect(await a.open()).toHaveLength(2);
  });

  it('prunes findings resolved before a time, with their transitions, and keeps the rest', async () => {
    const store = await open();
    const old = makeFinding({ status: 'resolved', resolvedAt: 1000 });
    const recent = makeFinding({ status: 'resolved', resolvedAt: 5000 });
    const open_ = makeFinding();
    await store.save([old, recent, open_], [makeOpening(old), makeOpening(recent), makeOpening(open_)]);
    expect(await store.prune(2000)).toBe(1);
    expect(await store.get(old.id)).toBeUndefined();
    expect(await store.transitions(old.id)).toEqual([]);
    expect(await store.get(recent.id)).toEqual(recent);
    expect(await store.get(open_.id)).toEqual(open_);
  });
});
