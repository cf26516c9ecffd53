import { createAnalyzer, type Finding } from '@joblens/analyzer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closedPort, runJoblens, runJoblensInProcess } from './run-joblens.js';

const TOKEN = 'findings-cli-token';
const analyzer = createAnalyzer({ port: 0, otlpPort: 0, dataDir: ':memory:', token: TOKEN });
let apiUrl: string;

function finding(id: string, type: Finding['type'], service: string, lastSeen: number): Finding {
  return {
    id,
    type,
    key: id,
    status: 'open',
    severity: 'warning',
    subject: { service, queue: 'outbox', worker: 'w-3' },
    summary: `${type} seen in ${service}`,
    nextStep: 'look at it',
    evidence: { figures: {}, traces: [] },
    since: lastSeen,
    firstSeen: lastSeen,
    lastSeen,
  };
}

beforeAll(async () => {
  ({ apiUrl } = await analyzer.start());
  const now = Date.now();
  analyzer.store.save(
    [
      finding('silent_worker-1', 'silent_worker', 'mail', now - 5_000),
      finding('retry_storm-2', 'retry_storm', 'billing', now - 120_000),
    ],
    [],
  );
});
afterAll(() => analyzer.stop());

describe('joblens findings', () => {
  it('prints a table of findings, newest first', async () => {
    const result = await runJoblens(['findings', '--url', apiUrl, '--token', TOKEN]);
    expect(result.code).toBe(0);
    const lines = result.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^ID\s+TYPE\s+STATUS\s+SEVERITY\s+SUBJECT\s+LAST SEEN\s+SUMMARY$/);
    expect(lines[1]).toMatch(
      /^silent_worker-1\s+silent_worker\s+open\s+warning\s+mail\/outbox @w-3\s+\d+s ago\s+silent_worker seen in mail$/,
    );
    expect(lines[2]).toMatch(/^retry_storm-2\s+retry_storm .* 2m ago /);
  });

  it('filters by type and prints JSON on request, reading the token from JOBLENS_TOKEN', async () => {
    const result = await runJoblens(['findings', '--url', apiUrl, '--type', 'retry_storm', '--json'], {
      JOBLENS_TOKEN: TOKEN,
    });
    expect(result.code).toBe(0);
    expect((JSON.parse(result.stdout) as Finding[]).map((f) => f.id)).toEqual(['retry_storm-2']);
  });

  it('says in one line that a bad token was refused', async () => {
    const result = await runJoblensInProcess(['findings', '--url', apiUrl, '--token', 'wrong']);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      `joblens findings: ${apiUrl} refused the request (401): the token is not valid for the read role\n`,
    );
  });

  it('says in one line that nothing listens at the URL', async () => {
    const url = `http://127.0.0.1:${await closedPort()}`;
    const result = await runJoblensInProcess(['findings', '--url', url]);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      `joblens findings: no analyzer at ${url} (connection refused); start one with 'joblens serve' or pass --url\n`,
    );
  });

  it("passes the analyzer's complaint about a bad filter on, in one line, as bad usage (exit code 2)", async () => {
    const result = await runJoblensInProcess([
      'findings',
      '--url',
      apiUrl,
      '--token',
      TOKEN,
      '--status',
      'maybe',
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      `joblens findings: ${apiUrl} answered 400: status must be open or resolved, got "maybe"\n`,
    );
  });

  it('refuses an unknown flag with exit code 2', async () => {
    const result = await runJoblensInProcess(['findings', '--colour']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      /^joblens findings: Unknown option '--colour'.*see 'joblens findings --help'\n$/,
    );
  });

  it('keeps the words of a message that node breaks over lines apart on its one line', async () => {
    const result = await runJoblensInProcess(['findings', '--limit', '-1']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      /^joblens findings: Option '--limit' argument is ambiguous\. Did you forget/,
    );
    expect(result.stderr).not.toMatch(/\.[A-Z]/);
  });
});
