import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { attemptWithGapRequest } from './otlp-json-attempt.js';
import { runJoblens, runJoblensInProcess, type ServeProcess, startServe } from './run-joblens.js';

const TOKEN = 'restart-test-token';
const dataDir = mkdtempSync(join(tmpdir(), 'joblens-serve-'));
const configPath = join(dataDir, 'joblens.yaml');
writeFileSync(
  configPath,
  [
    'evaluationIntervalMillis: 100',
    'detectors:',
    '  mystery_gap:',
    '    gapThresholdSeconds: 1',
    '    settleSeconds: 0.05',
    '',
  ].join('\n'),
);
const serveArgs = [
  '--port',
  '0',
  '--otlp-port',
  '0',
  '--data-dir',
  dataDir,
  '--config',
  configPath,
  '--token',
  TOKEN,
];
const running: ServeProcess[] = [];

afterAll(() => {
  for (const serve of running) serve.child.kill('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

interface Finding {
  id: string;
  type: string;
  status: string;
}
interface Transition {
  from: string | null;
  to: string;
}

const auth = { authorization: `Bearer ${TOKEN}` };

async function waitForFinding(apiUrl: string): Promise<Finding> {
  for (let i = 0; i < 100; i++) {
    const body = (await (
      await fetch(`${apiUrl}/api/findings?type=mystery_gap`, { headers: auth })
    ).json()) as {
      findings: Finding[];
    };
    if (body.findings.length) return body.findings[0];
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('no mystery_gap finding appeared');
}

describe('joblens serve', () => {
  it('keeps a finding and its transitions across a kill -9, and joblens findings prints it', async () => {
    const first = await startServe(serveArgs);
    running.push(first);
    expect(first.output()).toContain(join(dataDir, 'joblens.db'));
    const posted = await fetch(`${first.otlpUrl}/v1/traces`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...auth },
      body: JSON.stringify(attemptWithGapRequest(Date.now() - 10_000)),
    });
    expect(posted.status).toBe(200);
    const finding = await waitForFinding(first.apiUrl);
    const before = (await (
      await fetch(`${first.apiUrl}/api/findings/${finding.id}`, { headers: auth })
    ).json()) as {
      transitions: Transition[];
    };
    expect(before.transitions).toEqual([expect.objectContaining({ from: null, to: 'open' })]);

    first.child.kill('SIGKILL');
    await first.exited;

    const second = await startServe(serveArgs);
    running.push(second);
    const after = (await (
      await fetch(`${second.apiUrl}/api/findings/${finding.id}`, { headers: auth })
    ).json()) as {
      finding: Finding;
      transitions: Transition[];
    };
    expect(after.finding).toMatchObject({ id: finding.id, type: 'mystery_gap' });
    expect(after.transitions[0]).toEqual(before.transitions[0]);

    const listed = await runJoblens(['findings', '--url', second.apiUrl, '--token', TOKEN]);
    expect(listed.stderr).toBe('');
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(/^ID\s+TYPE\s+STATUS\s+SEVERITY\s+SUBJECT\s+LAST SEEN\s+SUMMARY$/m);
    expect(listed.stdout).toContain(finding.id);
    expect(listed.stdout).toContain('billing/invoices/render');

    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
  });

  it('prints its usage on --help and refuses unknown flags in one line', async () => {
    const help = await runJoblensInProcess(['serve', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('usage: joblens serve');
    const bad = await runJoblensInProcess(['serve', '--prot', '1']);
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    expect(bad.stderr).toContain("Unknown option '--prot'");
  });

  it('refuses a bad config value naming the field', async () => {
    const result = await runJoblensInProcess(['serve', '--data-dir', dataDir, '--port', 'eighty']);
    expect(result.code).toBe(2);
    expect(result.stderr.trim()).toBe('joblens serve: config: port (--port) must be a number, got "eighty"');
  });
});
