import { type AnalyzerHandle, createAnalyzer } from '@joblens/analyzer';
import { failingJobRequest, HOSTILE_SECRETS, TERMINAL_AND_HTML_JOB_NAME } from '@joblens/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runJoblens } from './run-joblens.js';

// C0 controls but newline and tab, DEL, C1 controls and the bidi overrides.
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point.
const CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/;

let analyzer: AnalyzerHandle;
let apiUrl: string;
let findingId: string;

beforeAll(async () => {
  analyzer = createAnalyzer({ port: 0, otlpPort: 0, dataDir: ':memory:' });
  const urls = await analyzer.start();
  apiUrl = urls.apiUrl;
  // Through the receiver, as a worker would send it: a job named to attack terminals and HTML.
  const response = await fetch(`${urls.otlpUrl}/v1/traces`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(
      failingJobRequest({ startMs: Date.now() - 20_000, jobName: TERMINAL_AND_HTML_JOB_NAME }),
    ),
  });
  expect(response.status).toBe(200);
  await analyzer.evaluateNow();
  const [finding] = await analyzer.store.list({ type: 'runaway_retries' });
  findingId = finding.id;
  // The analyzer keeps the name as sent (only secrets are redacted at ingest): the CLI must clean it.
  expect(finding.subject.jobName).toBe(TERMINAL_AND_HTML_JOB_NAME);
});

afterAll(() => analyzer?.stop());

describe('CLI output of a job name made of terminal escapes and HTML', () => {
  it('lists findings with the escapes stripped and the readable rest kept', async () => {
    const result = await runJoblens(['findings', '--url', apiUrl]);
    expect(result.code).toBe(0);
    expect(result.stdout).not.toMatch(CONTROL);
    expect(result.stdout).toContain('<script>alert(1)</script>report2Jexe');
    const json = await runJoblens(['findings', '--json', '--url', apiUrl]);
    expect(json.stdout).not.toMatch(CONTROL);
    expect(json.stdout).not.toContain('\\u001b');
  });

  it('explains the finding as Markdown with the HTML escaped and no control characters', async () => {
    const result = await runJoblens(['explain', findingId, '--url', apiUrl]);
    expect(result.code).toBe(0);
    expect(result.stdout).not.toMatch(CONTROL);
    expect(result.stdout).not.toContain('<script>');
    expect(result.stdout).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    for (const secret of HOSTILE_SECRETS) expect(result.stdout).not.toContain(secret);
  });

  it('prints an error naming an unknown finding id on one clean line', async () => {
    const result = await runJoblens(['explain', 'no-such\x1b[2J\rid', '--url', apiUrl]);
    expect(result.code).toBe(1);
    expect(result.stderr).not.toMatch(CONTROL);
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
  });

  it('names an unknown command without the escapes it was given', async () => {
    const result = await runJoblens(['\x1b]0;pwned\x07nope']);
    expect(result.code).toBe(2);
    expect(result.stderr).not.toMatch(CONTROL);
    expect(result.stderr).toContain("unknown command 'nope'");
  });
});
