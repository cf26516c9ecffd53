import { type AnalyzerHandle, createAnalyzer } from '@joblens/analyzer';
import { mysteryGapScenario, SCENARIO_SECRETS } from '@joblens/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CliResult, closedPort, runJoblens, runJoblensInProcess } from './run-joblens.js';

const TOKEN = 'explain-cli-token';
const NOW = Date.parse('2026-06-01T12:00:00Z');
let analyzer: AnalyzerHandle;
let apiUrl: string;
let findingId: string;

beforeAll(async () => {
  // The spans are received a few seconds before the evaluation, past the time mystery_gap waits for late steps.
  let clock = NOW - 5_000;
  analyzer = createAnalyzer(
    { port: 0, otlpPort: 0, dataDir: ':memory:', token: TOKEN },
    { clock: () => clock },
  );
  ({ apiUrl } = await analyzer.start());
  const scenario = mysteryGapScenario({ nowMs: NOW, service: 'cli-explain' });
  analyzer.model.ingestSpans(scenario.spans);
  clock = NOW;
  await analyzer.evaluateNow();
  const [finding] = await analyzer.store.list({ type: 'mystery_gap' });
  findingId = finding.id;
});

afterAll(() => analyzer?.stop());

/** One line on stderr, nothing on stdout, no stack frame. */
function expectOneLineError(result: CliResult, line: string, code = 1): void {
  expect(result.code).toBe(code);
  expect(result.stdout).toBe('');
  expect(result.stderr).toBe(`${line}\n`);
  expect(result.stderr).not.toMatch(/^\s+at /m);
}

describe('joblens explain', () => {
  it('prints the Markdown account of a finding, as the analyzer serves it, from the real binary', async () => {
    const result = await runJoblens(['explain', findingId, '--url', apiUrl, '--token', TOKEN]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const served = await fetch(`${apiUrl}/api/findings/${findingId}/context`, {
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(result.stdout).toBe(await served.text());
    expect(result.stdout).toMatch(
      /^# mystery_gap: export on reports \(cli-explain\) goes silent between "fetch" and "upload"/,
    );
    expect(result.stdout).toContain('## Evidence');
    expect(result.stdout).toContain('| upload | 13 | 1 |');
    for (const secret of SCENARIO_SECRETS) expect(result.stdout).not.toContain(secret);
  });

  it('prints JSON with --json, taking the token from JOBLENS_TOKEN', async () => {
    const previous = process.env.JOBLENS_TOKEN;
    process.env.JOBLENS_TOKEN = TOKEN;
    try {
      const result = await runJoblensInProcess(['explain', findingId, '--json', '--url', apiUrl]);
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      const explanation = JSON.parse(result.stdout);
      expect(explanation.finding).toMatchObject({
        id: findingId,
        type: 'mystery_gap',
        subject: { service: 'cli-explain', queue: 'reports', jobName: 'export' },
      });
      expect(explanation.attempts.at(-1).steps.map((s: { name: string }) => s.name)).toEqual([
        'fetch',
        'upload',
      ]);
      expect(explanation.attributes['db.password']).toBe('[REDACTED]');
      for (const secret of SCENARIO_SECRETS) expect(result.stdout).not.toContain(secret);
    } finally {
      if (previous === undefined) delete process.env.JOBLENS_TOKEN;
      else process.env.JOBLENS_TOKEN = previous;
    }
  });

  it('says in one line that nothing listens at the analyzer URL', async () => {
    const url = `http://127.0.0.1:${await closedPort()}`;
    const result = await runJoblensInProcess(['explain', findingId, '--url', url, '--token', TOKEN]);
    expectOneLineError(
      result,
      `joblens explain: no analyzer at ${url} (connection refused); start one with 'joblens serve' or pass --url`,
    );
  });

  it('says in one line that the analyzer refused a bad token', async () => {
    const result = await runJoblensInProcess(['explain', findingId, '--url', apiUrl, '--token', 'wrong']);
    expectOneLineError(
      result,
      `joblens explain: ${apiUrl} refused the request (401): the token is not valid for the read role`,
    );
  });

  it('says in one line that it needs a token when none is given', async () => {
    const previous = process.env.JOBLENS_TOKEN;
    delete process.env.JOBLENS_TOKEN;
    try {
      const result = await runJoblensInProcess(['explain', findingId, '--url', apiUrl]);
      expectOneLineError(
        result,
        `joblens explain: ${apiUrl} refused the request (401): it needs the read token (--token, JOBLENS_READ_TOKEN or JOBLENS_TOKEN)`,
      );
    } finally {
      if (previous !== undefined) process.env.JOBLENS_TOKEN = previous;
    }
  });

  it('says in one line that there is no finding with an unknown id', async () => {
    const result = await runJoblensInProcess([
      'explain',
      'mystery_gap-000000',
      '--url',
      apiUrl,
      '--token',
      TOKEN,
    ]);
    expectOneLineError(result, 'joblens explain: no finding with id mystery_gap-000000');
  });

  it('asks for a finding id when none is given, with exit code 2', async () => {
    const result = await runJoblensInProcess(['explain', '--url', apiUrl, '--token', TOKEN]);
    expectOneLineError(result, 'joblens explain: expected one finding id, got 0', 2);
  });

  it('refuses an unknown option in one line', async () => {
    const result = await runJoblensInProcess(['explain', findingId, '--format', 'html']);
    expect(result.code).not.toBe(0);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/^joblens explain: .*--format/);
  });
});
