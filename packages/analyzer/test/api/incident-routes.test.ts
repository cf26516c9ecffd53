import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type AnalyzerHandle, createAnalyzer } from '../../src/analyzer.js';
import type { Finding, FindingTransition } from '../../src/findings/finding.js';
import { openDatabase } from '../../src/store/open-database.js';
import { SqliteFindingStore } from '../../src/store/sqlite-finding-store.js';
import { makeFinding, makeOpening } from '../store/make-finding.js';

const TOKEN = 'incident-routes-token';
const T0 = Date.parse('2026-03-02T10:00:00Z');

let analyzer: AnalyzerHandle;
let base: string;
let finding: Finding;
let resolved: Finding;
const clock = { now: T0 };

beforeEach(async () => {
  clock.now = T0;
  const store = new SqliteFindingStore(openDatabase(':memory:'));
  finding = makeFinding({ firstSeen: T0 - 60_000, lastSeen: T0 - 1000 });
  resolved = makeFinding({ status: 'resolved', resolvedAt: T0 - 5000, lastSeen: T0 - 5000 });
  await store.save([finding, resolved], [makeOpening(finding), makeOpening(resolved)]);
  // The analyzer inherits the open finding from its store and, within its first minute, keeps it open
  // though no telemetry holds it: the lifecycle is what is under test, not a detector.
  analyzer = createAnalyzer(
    { port: 0, otlpPort: 0, dataDir: ':memory:', token: TOKEN, evaluationIntervalMillis: 60_000 },
    { store, clock: () => clock.now },
  );
  base = (await analyzer.start()).apiUrl;
});
afterEach(() => analyzer.stop());

function post(path: string, body: unknown, token: string | null = TOKEN) {
  return fetch(`${base}${path}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify(body),
  });
}
async function errorOf(response: Response): Promise<string> {
  return ((await response.json()) as { error: string }).error;
}
/** What the GET routes answer, as far as these tests read it. */
interface Answer {
  findings: Array<Finding & { state: string }>;
  finding: Finding & { state: string };
  transitions: FindingTransition[];
}
async function getJson(path: string): Promise<Answer> {
  const response = await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${TOKEN}` } });
  return (await response.json()) as Answer;
}

describe('POST /api/findings/:id/acknowledge', () => {
  it('acknowledges an open finding by whom, and the list, the finding and its transitions show it', async () => {
    clock.now = T0 + 2000;
    const response = await post(`/api/findings/${finding.id}/acknowledge`, { by: 'alice' });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      state: 'acknowledged',
      finding: { id: finding.id, acknowledgedBy: 'alice', acknowledgedAt: T0 + 2000 },
    });
    const listed = (await getJson('/api/findings?status=open')).findings;
    expect(listed).toEqual([
      expect.objectContaining({ id: finding.id, state: 'acknowledged', acknowledgedBy: 'alice' }),
    ]);
    const detail = await getJson(`/api/findings/${finding.id}`);
    expect(detail.transitions.at(-1)).toMatchObject({ event: 'acknowledged', actor: 'alice', at: T0 + 2000 });
  });

  it('tells in the explained finding who acknowledged it and when', async () => {
    clock.now = T0 + 2000;
    await post(`/api/findings/${finding.id}/acknowledge`, { by: 'alice' });
    const markdown = await (
      await fetch(`${base}/api/findings/${finding.id}/context`, {
        headers: { authorization: `Bearer ${TOKEN}` },
      })
    ).text();
    expect(markdown).toContain('- **acknowledged** by alice at 2026-03-02T10:00:02.000Z');
    expect(markdown).toMatch(/finding acknowledged by alice/);
    expect(markdown).not.toContain('open → open: acknowledged');
  });

  it('keeps the acknowledgement through the evaluations that follow', async () => {
    await post(`/api/findings/${finding.id}/acknowledge`, { by: 'alice' });
    clock.now = T0 + 5000;
    await analyzer.evaluateNow();
    expect(await analyzer.store.get(finding.id)).toMatchObject({ status: 'open', acknowledgedBy: 'alice' });
  });

  it('answers 409 naming who acknowledged first, and 409 for a resolved finding', async () => {
    await post(`/api/findings/${finding.id}/acknowledge`, { by: 'alice' });
    const again = await post(`/api/findings/${finding.id}/acknowledge`, { by: 'bob' });
    expect(again.status).toBe(409);
    expect(await errorOf(again)).toMatch(/acknowledged by alice/);
    const late = await post(`/api/findings/${resolved.id}/acknowledge`, { by: 'bob' });
    expect(late.status).toBe(409);
    expect(await errorOf(late)).toMatch(/resolved/);
  });

  it('answers 400 naming body.by when nobody is named, and 404 for an unknown finding', async () => {
    const nameless = await post(`/api/findings/${finding.id}/acknowledge`, {});
    expect(nameless.status).toBe(400);
    expect(await errorOf(nameless)).toMatch(/body\.by/);
    const unknown = await post('/api/findings/no-such-finding/acknowledge', { by: 'alice' });
    expect(unknown.status).toBe(404);
    expect((await analyzer.store.get(finding.id))?.acknowledgedBy).toBeUndefined();
  });

  it('refuses a request without the token', async () => {
    const response = await post(`/api/findings/${finding.id}/acknowledge`, { by: 'mallory' }, null);
    expect(response.status).toBe(401);
    expect((await analyzer.store.get(finding.id))?.acknowledgedBy).toBeUndefined();
  });
});

describe('POST /api/findings/:id/snooze', () => {
  it('snoozes an open finding until the given time, after which it is open again by itself', async () => {
    const until = '2026-03-02T12:00:00.000Z';
    const response = await post(`/api/findings/${finding.id}/snooze`, { until, by: 'carol' });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      state: 'snoozed',
      finding: { snoozedUntil: Date.parse(until) },
    });
    expect((await getJson(`/api/findings/${finding.id}`)).transitions.at(-1)).toMatchObject({
      event: 'snoozed',
      actor: 'carol',
    });
    clock.now = Date.parse(until);
    expect((await getJson(`/api/findings/${finding.id}`)).finding.state).toBe('open');
  });

  it('answers 400 naming body.until for a time that is not ISO or already past', async () => {
    for (const until of ['in two hours', 1_800_000_000_000, '2026-03-02T09:00:00Z']) {
      const response = await post(`/api/findings/${finding.id}/snooze`, { until });
      expect(response.status).toBe(400);
      expect(await errorOf(response)).toMatch(/^body\.until must be /);
    }
    expect((await analyzer.store.get(finding.id))?.snoozedUntil).toBeUndefined();
  });
});
