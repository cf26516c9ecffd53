import type { SpanRecord } from '@joblens/otlp-receiver';
import type { FindingType } from '@joblens/semconv';
import {
  BLOCKED_STACK,
  doubleRunScenario,
  eventLoopBlockedScenario,
  type FindingScenario,
  hostImbalanceScenario,
  mysteryGapScenario,
  queueStarvationScenario,
  retryStormScenario,
  runawayRetriesScenario,
  SCENARIO_SECRETS,
  silentJobScenario,
  silentWorkerScenario,
} from '@joblens/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AnalyzerHandle, createAnalyzer } from '../../src/analyzer.js';
import type { Explanation } from '../../src/explain/explanation.js';
import { MAX_MARKDOWN_CHARS } from '../../src/explain/render-markdown.js';
import type { Finding } from '../../src/findings/finding.js';
import { bulkJobScenario } from './bulk-job-scenario.js';

const T = Date.parse('2026-06-01T12:00:00Z');
let clock = T - 100_000;
const TOKEN = 'explain-test-token';

interface Case {
  type: FindingType;
  /** Picks this case's finding from the store: by service, or by monitor slug. */
  service?: string;
  monitor?: string;
  scenario?: FindingScenario;
}

const cases: Case[] = [
  { type: 'mystery_gap', service: 'gap-svc', scenario: mysteryGapScenario({ nowMs: T, service: 'gap-svc' }) },
  {
    type: 'silent_job',
    service: 'hung-svc',
    scenario: silentJobScenario({ nowMs: T, service: 'hung-svc' }),
  },
  {
    type: 'runaway_retries',
    service: 'retry-svc',
    scenario: runawayRetriesScenario({ nowMs: T, service: 'retry-svc' }),
  },
  {
    type: 'retry_storm',
    service: 'storm-svc',
    scenario: retryStormScenario({ nowMs: T, service: 'storm-svc' }),
  },
  {
    type: 'host_imbalance',
    service: 'fleet-svc',
    scenario: hostImbalanceScenario({ nowMs: T, service: 'fleet-svc' }),
  },
  {
    type: 'silent_worker',
    service: 'gone-svc',
    scenario: silentWorkerScenario({ nowMs: T, service: 'gone-svc' }),
  },
  {
    type: 'queue_starvation',
    service: 'starve-svc',
    scenario: queueStarvationScenario({ nowMs: T, service: 'starve-svc' }),
  },
  {
    type: 'event_loop_blocked',
    service: 'cpu-svc',
    scenario: eventLoopBlockedScenario({ nowMs: T, service: 'cpu-svc' }),
  },
  {
    type: 'stalled_job',
    service: 'lock-svc',
    scenario: doubleRunScenario({ nowMs: T, service: 'lock-svc' }),
  },
  { type: 'missed_heartbeat', monitor: 'nightly-sync' },
  { type: 'runaway_job', monitor: 'weekly-backup' },
];
const bulk = bulkJobScenario({ nowMs: T, service: 'bulk-svc' });

let analyzer: AnalyzerHandle;
let apiUrl: string;

beforeAll(async () => {
  analyzer = createAnalyzer(
    {
      port: 0,
      otlpPort: 0,
      dataDir: ':memory:',
      token: TOKEN,
      detectors: {
        mystery_gap: { gapThresholdSeconds: 4 },
        silent_job: { silenceThresholdSeconds: 20 },
      },
      monitors: [
        { slug: 'nightly-sync', periodSeconds: 10, graceSeconds: 5 },
        { slug: 'weekly-backup', periodSeconds: 3600, graceSeconds: 3600, maxRuntimeSeconds: 10 },
      ],
    },
    { clock: () => clock },
  );
  ({ apiUrl } = await analyzer.start());
  // Monitors learn from pings, stamped with the analyzer's clock: a check-in and a run start 100 s ago.
  for (const path of ['/ping/nightly-sync', '/ping/weekly-backup/start']) {
    // A ping is ingest: with a token set it must carry it.
    const ping = await fetch(`${apiUrl}${path}`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(ping.status).toBe(200);
  }
  // Received a few seconds before the evaluation: mystery_gap waits two for late steps to arrive.
  clock = T - 5_000;
  for (const scenario of [...cases.flatMap((c) => (c.scenario ? [c.scenario] : [])), bulk]) {
    analyzer.model.ingestSpans(scenario.spans);
    analyzer.model.ingestLogs(scenario.logs);
    analyzer.model.ingestMetrics(scenario.metrics);
  }
  clock = T;
  await analyzer.evaluateNow();
});

afterAll(() => analyzer?.stop());

async function findingFor(c: Pick<Case, 'type' | 'service' | 'monitor'>): Promise<Finding> {
  const found = (await analyzer.store.list({ type: c.type, limit: 500 })).filter((f) =>
    c.monitor ? f.subject.monitor === c.monitor : f.subject.service === c.service,
  );
  expect(
    found.map((f) => f.type),
    `a ${c.type} finding for ${c.service ?? c.monitor}`,
  ).toHaveLength(1);
  return found[0];
}

async function context(id: string, format?: 'json'): Promise<{ status: number; type: string; body: string }> {
  const query = format ? `?format=${format}` : '';
  const response = await fetch(`${apiUrl}/api/findings/${encodeURIComponent(id)}/context${query}`, {
    headers: { authorization: `Bearer ${TOKEN}` },
  });
  return {
    status: response.status,
    type: response.headers.get('content-type') ?? '',
    body: await response.text(),
  };
}

/** As the Markdown prints telemetry text: on one line, backticks turned into quotes (they would end inline code). */
/** Text as the Markdown carries it: on one line, backticks replaced and HTML escaped. */
function oneLine(text: string): string {
  return text
    .replace(/[\r\n]+/g, ' ')
    .replace(/`/g, "'")
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');
}

function expectNoSecrets(text: string): void {
  for (const secret of SCENARIO_SECRETS) expect(text).not.toContain(secret);
}

/** Step spans of an attempt, as the account should show them: name, offset and duration in seconds. */
function stepsOf(scenario: FindingScenario, attempt: SpanRecord) {
  return scenario.spans
    .filter((s) => s.traceId === attempt.traceId && s.parentSpanId === attempt.spanId)
    .map((s) => ({
      name: s.name,
      offsetSeconds: (s.startMs - attempt.startMs) / 1000,
      durationSeconds: (s.endMs - s.startMs) / 1000,
      failed: s.statusCode === 2,
    }));
}

describe('GET /api/findings/:id/context for every finding type', () => {
  it('has a case for each of the ten finding types', async () => {
    const { FINDING_TYPES } = await import('@joblens/semconv');
    expect(cases.map((c) => c.type).sort()).toEqual([...FINDING_TYPES].sort());
  });

  for (const c of cases) {
    it(`explains a ${c.type} finding: type, summary, subject, next step and evidence, with no secret in it`, async () => {
      const finding = await findingFor(c);
      const md = await context(finding.id);
      expect(md.status).toBe(200);
      expect(md.type).toContain('text/markdown');
      const json = await context(finding.id, 'json');
      expect(json.status).toBe(200);
      const explanation = JSON.parse(json.body) as Explanation;

      expect(md.body.split('\n')[0]).toBe(`# ${c.type}: ${oneLine(finding.summary)}`);
      expect(explanation.finding).toMatchObject({
        id: finding.id,
        type: c.type,
        severity: finding.severity,
        status: 'open',
        summary: finding.summary,
        subject: finding.subject,
      });
      expect(md.body).toContain(`- **finding** \`${finding.id}\` · ${finding.severity} · open`);
      for (const [key, value] of Object.entries(finding.subject)) {
        if (value !== undefined) expect(md.body).toContain(`${key} \`${value}\``);
      }
      const secretFree = !SCENARIO_SECRETS.some((secret) => finding.nextStep.includes(secret));
      if (secretFree) expect(explanation.finding.nextStep).toBe(finding.nextStep);
      else expect(explanation.finding.nextStep).toContain('[REDACTED]');
      expect(md.body).toContain(`- **suggested next step** ${oneLine(explanation.finding.nextStep)}`);

      expect(explanation.evidence.traces).toEqual(finding.evidence.traces);
      for (const trace of finding.evidence.traces) expect(md.body).toContain(`trace \`${trace.traceId}\``);
      expect(explanation.evidence.figures).toEqual(finding.evidence.figures);
      expect(md.body).toContain('## Evidence');
      for (const [key, value] of Object.entries(finding.evidence.figures))
        expect(md.body).toContain(`- ${key}: ${value}`);

      expectNoSecrets(md.body);
      expectNoSecrets(json.body);
      expect(md.body.length).toBeLessThanOrEqual(MAX_MARKDOWN_CHARS);
    });
  }

  for (const c of cases.filter((c) => c.scenario?.attempt)) {
    it(`shows the attempts of the job behind a ${c.type} finding, with their steps and timings`, async () => {
      const scenario = c.scenario as FindingScenario;
      const attempt = scenario.attempt as SpanRecord;
      const finding = await findingFor(c);
      const explanation = JSON.parse((await context(finding.id, 'json')).body) as Explanation;
      const md = (await context(finding.id)).body;

      expect(explanation.attempts.length, 'attempts in the account').toBeGreaterThan(0);
      const last = explanation.attempts.at(-1);
      expect(last?.attempt).toBe(attempt.attributes['joblens.job.attempt']);
      expect(last?.worker).toBe(attempt.resource.serviceInstanceId);
      expect(
        last?.steps.map(({ name, offsetSeconds, durationSeconds, failed }) => ({
          name,
          offsetSeconds,
          durationSeconds,
          failed: failed ?? false,
        })),
      ).toEqual(stepsOf(scenario, attempt));
      for (const a of explanation.attempts) expect(md).toContain(`## Attempt ${a.attempt}`);
      for (const step of stepsOf(scenario, attempt)) {
        expect(md).toContain(
          `| ${step.name}${step.failed ? ' (failed)' : ''} | ${step.offsetSeconds} | ${step.durationSeconds} |`,
        );
      }
    });
  }

  it('keeps the error message of a failed attempt but masks the password in its connection string', async () => {
    const explanation = JSON.parse(
      (await context((await findingFor({ type: 'runaway_retries', service: 'retry-svc' })).id, 'json')).body,
    ) as Explanation;
    expect(explanation.attempts.map((a) => a.errorMessage)).toEqual(
      explanation.attempts.map(() => 'connect ECONNREFUSED postgres://app:[REDACTED]@db/x'),
    );
    expect(explanation.attempts.map((a) => a.outcome)).toContain('retry_scheduled');
  });

  it('shows the stack of a blocked loop in the account and on the finding page, named in the next step', async () => {
    const finding = await findingFor({ type: 'event_loop_blocked', service: 'cpu-svc' });
    expect(finding.nextStep).toContain(
      'in parse (node_modules/fast-xml/lib/parser.js:88) called from parseCatalog (src/jobs/parse.js:42) (',
    );
    const explanation = JSON.parse((await context(finding.id, 'json')).body) as Explanation;
    expect(explanation.evidence.detail).toEqual({ stack: BLOCKED_STACK });
    expect((await context(finding.id)).body).toContain(
      [
        '## Stack of the blocked loop',
        '',
        '1. `parse (node_modules/fast-xml/lib/parser.js:88:21)`',
        '1. `parseCatalog (src/jobs/parse.js:42:7)`',
        '1. `&lt;anonymous&gt; (src/worker.js:12:3)`',
        '1. `processTicksAndRejections (node:internal/process/task_queues:95:5)`',
      ].join('\n'),
    );

    const page = await (
      await fetch(`${apiUrl}/findings/${encodeURIComponent(finding.id)}`, {
        headers: { authorization: `Bearer ${TOKEN}` },
      })
    ).text();
    expect(page).toContain('<h3>Stack of the blocked loop</h3><ol class="stack">');
    // The app's frames stand out; a dependency's and Node's are greyed; `<anonymous>` stays text.
    expect(page).toContain('<li><code>parseCatalog (src/jobs/parse.js:42:7)</code></li>');
    expect(page).toContain('<li><code>&lt;anonymous&gt; (src/worker.js:12:3)</code></li>');
    expect(page).toContain(
      '<li class="library muted"><code>parse (node_modules/fast-xml/lib/parser.js:88:21)</code></li>',
    );
    expect(page).not.toContain('<anonymous>');
  });

  it("includes a silent job's attributes from its still-running record, with secret values dropped", async () => {
    const finding = await findingFor({ type: 'silent_job', service: 'hung-svc' });
    const explanation = JSON.parse((await context(finding.id, 'json')).body) as Explanation;
    expect(explanation.attributes).toMatchObject({
      'db.password': '[REDACTED]',
      'joblens.job.id': 'c-1',
      'joblens.job.current_step': 'call-bank',
    });
    expect((await context(finding.id)).body).toContain('- joblens.job.current_step: `call-bank`');
  });

  it("includes the failed attempt's attributes and failure snapshot with secret values dropped", async () => {
    const finding = await findingFor({ type: 'runaway_retries', service: 'retry-svc' });
    const explanation = JSON.parse((await context(finding.id, 'json')).body) as Explanation;
    expect(explanation.attributes).toMatchObject({
      'db.password': '[REDACTED]',
      'http.request.header.authorization': '[REDACTED]',
      'joblens.job.id': 'poison',
    });
    expect(explanation.snapshot).toMatchObject({
      'db.password': '[REDACTED]',
      'joblens.job.current_step': 'write-db',
      'joblens.snapshot.last_checkpoint': 'opened postgres://app:[REDACTED]@db/x',
    });
    const md = (await context(finding.id)).body;
    expect(md).toContain('## Failure snapshot');
    expect(md).toContain('- db.password: `[REDACTED]`');
  });

  it('includes the dump a gone worker wrote while it held the job, with secret values dropped', async () => {
    const finding = await findingFor({ type: 'silent_worker', service: 'gone-svc' });
    const explanation = JSON.parse((await context(finding.id, 'json')).body) as Explanation;
    expect(explanation.dump).toMatchObject({
      'joblens.dump.trigger': 'SIGUSR2',
      'http.request.header.authorization': '[REDACTED]',
    });
    expect(String(explanation.dump?.['joblens.dump.path'])).toMatch(/joblens-dump-4242-/);
    const md = (await context(finding.id)).body;
    expect(md).toContain('## Dump');
    expect(md).toContain('- joblens.dump.trigger: `SIGUSR2`');
  });

  it('keeps the account under its bound for jobs with hundreds of steps and huge attribute values', async () => {
    const findings = (await analyzer.store.list({ limit: 500 })).filter(
      (f) => f.subject.service === 'bulk-svc',
    );
    expect(findings.map((f) => f.type)).toEqual(expect.arrayContaining(['mystery_gap', 'runaway_retries']));
    for (const finding of findings) {
      const md = await context(finding.id);
      expect(md.status).toBe(200);
      expect(md.body.length).toBeLessThanOrEqual(MAX_MARKDOWN_CHARS);
      expect(md.body.startsWith(`# ${finding.type}: ${oneLine(finding.summary).slice(0, 40)}`)).toBe(true);
      expect(md.body).toContain('**suggested next step**');
      for (const trace of finding.evidence.traces) expect(md.body).toContain(`trace \`${trace.traceId}\``);
      expectNoSecrets(md.body);
      const json = await context(finding.id, 'json');
      const explanation = JSON.parse(json.body) as Explanation;
      expect(explanation.truncated).toBe(true);
      expect(explanation.attempts.length).toBeLessThanOrEqual(10);
      for (const a of explanation.attempts) expect(a.steps.length).toBeLessThanOrEqual(30);
      expectNoSecrets(json.body);
      // JSON is bounded too, by counts and text lengths: far below the megabytes of the telemetry.
      expect(json.body.length).toBeLessThan(400_000);
    }
  });

  it('answers 404 in JSON for an unknown finding id, and 401 without the token', async () => {
    const unknown = await context('no-such-finding');
    expect(unknown.status).toBe(404);
    expect(JSON.parse(unknown.body)).toEqual({ error: 'no finding with id no-such-finding' });
    const finding = await findingFor({ type: 'mystery_gap', service: 'gap-svc' });
    const anonymous = await fetch(`${apiUrl}/api/findings/${finding.id}/context`);
    expect(anonymous.status).toBe(401);
  });
});
