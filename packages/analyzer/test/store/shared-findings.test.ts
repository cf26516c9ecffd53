import { createTestDatabase, mysteryGapScenario, type TestDatabase } from '@joblens/test-utils';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type AnalyzerHandle, createAnalyzer } from '../../src/analyzer.js';

/** Past the analyzer's first minute, when findings it inherited are judged again. */
const T = 1_800_000_000_000;
const clock = { now: T };
let database: TestDatabase;
const running: AnalyzerHandle[] = [];

beforeEach(async () => {
  clock.now = T;
  database = await createTestDatabase('joblens_shared');
});
afterEach(async () => {
  for (const analyzer of running.splice(0)) await analyzer.stop();
  await database.drop();
});

/** An analyzer on the test's database, on the test's clock; its loops never run by themselves. */
function analyzerNamed(instanceName: string): AnalyzerHandle {
  const analyzer = createAnalyzer(
    {
      port: 0,
      otlpPort: 0,
      dataDir: ':memory:',
      databaseUrl: database.url,
      evaluationIntervalMillis: 3_600_000,
      // Nothing listens there: the rows stay in the outbox, where the test counts them.
      alertWebhookUrl: 'http://127.0.0.1:9/hook',
    },
    { instanceName, clock: () => clock.now },
  );
  running.push(analyzer);
  return analyzer;
}

/** mystery_gap judges an attempt only once its spans arrived this long ago (its settle time). */
const SETTLE_MILLIS = 2_000;

/** The gap's spans, received a settle time ago: a finding for the next evaluation. */
function feedGap(analyzer: AnalyzerHandle): void {
  const scenario = mysteryGapScenario({ nowMs: clock.now, service: 'gap-svc' });
  clock.now -= SETTLE_MILLIS;
  analyzer.model.ingestSpans(scenario.spans);
  clock.now += SETTLE_MILLIS;
}

async function outboxEvents(): Promise<string[]> {
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  try {
    const { rows } = await client.query<{ event: string }>('SELECT event FROM alert_outbox ORDER BY seq');
    return rows.map((row) => (JSON.parse(row.event) as { kind: string }).kind);
  } finally {
    await client.end();
  }
}

describe('analyzers sharing one PostgreSQL database', () => {
  it('open one finding and queue one alert when both see the same fault at once', async () => {
    const a = analyzerNamed('analyzer-a');
    const b = analyzerNamed('analyzer-b');
    feedGap(a);
    feedGap(b);
    await Promise.all([a.evaluateNow(), b.evaluateNow()]);

    const [listedByA, listedByB] = await Promise.all([a.store.list(), b.store.list()]);
    expect(listedByA.map((f) => f.type)).toEqual(['mystery_gap']);
    expect(listedByB).toEqual(listedByA);
    expect(await a.store.transitions(listedByA[0].id)).toHaveLength(1);
    expect(await outboxEvents()).toEqual(['opened']);
  });

  it('keep one finding and one alert when the second analyzer sees the fault an evaluation later', async () => {
    const a = analyzerNamed('analyzer-a');
    const b = analyzerNamed('analyzer-b');
    feedGap(a);
    await a.evaluateNow();
    clock.now += 1_000;
    feedGap(b);
    await b.evaluateNow();

    const listed = await b.store.list();
    expect(listed.map((f) => f.type)).toEqual(['mystery_gap']);
    expect(await a.store.transitions(listed[0].id)).toHaveLength(1);
    expect(await outboxEvents()).toEqual(['opened']);
  });

  it('list a finding on every analyzer, and leave its resolution to the analyzer that raised it', async () => {
    const raiser = analyzerNamed('analyzer-a');
    feedGap(raiser);
    await raiser.evaluateNow();
    const [finding] = await raiser.store.list();
    await raiser.stop();

    // Another analyzer, which never saw the fault, lists it but does not take it as its own.
    const other = analyzerNamed('analyzer-b');
    clock.now += 120_000;
    await other.evaluateNow();
    expect(await other.store.get(finding.id)).toMatchObject({ status: 'open' });

    // The raiser, restarted without the telemetry, takes it back and resolves it after its first minute.
    const restarted = analyzerNamed('analyzer-a');
    await restarted.evaluateNow();
    expect(await restarted.store.get(finding.id)).toMatchObject({ status: 'open' });
    clock.now += 61_000;
    await restarted.evaluateNow();
    expect(await other.store.get(finding.id)).toMatchObject({ status: 'resolved' });
    expect(await outboxEvents()).toEqual(['opened', 'resolved']);
  });
});
