import { type AnalyzerHandle, createAnalyzer } from '@joblens/analyzer';
import { failingJobRequest, HOSTILE_SECRETS, TERMINAL_AND_HTML_JOB_NAME } from '@joblens/test-utils';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attemptWithGapRequest } from './otlp-json-attempt.js';
import { JOBLENS_COMMAND } from './run-joblens.js';

// C0 controls but newline and tab, DEL, C1 controls and the bidi overrides.
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point.
const CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/;
const TOKEN = 'mcp-read-token';

let analyzer: AnalyzerHandle;
let client: Client;
let transport: StdioClientTransport;
let stderr = '';
const protocolErrors: Error[] = [];
let findingId: string;
let paymentsJobId: string;

beforeAll(async () => {
  analyzer = createAnalyzer({ port: 0, otlpPort: 0, dataDir: ':memory:', token: TOKEN });
  const { otlpUrl, apiUrl } = await analyzer.start();
  const start = Date.now() - 30_000;
  // Through the receiver, as workers send it: a job failing five times with secrets and a hostile name,
  // and one completed job with steps.
  for (const body of [
    attemptWithGapRequest(start),
    failingJobRequest({ startMs: start, jobName: TERMINAL_AND_HTML_JOB_NAME }),
  ]) {
    const response = await fetch(`${otlpUrl}/v1/traces`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
      body: JSON.stringify(body),
    });
    expect(response.status).toBe(200);
  }
  await analyzer.evaluateNow();
  const [finding] = await analyzer.store.list({ type: 'runaway_retries' });
  findingId = finding.id;
  // The history writes in batches a few seconds after an attempt ends.
  const deadline = Date.now() + 20_000;
  while ((await analyzer.history.searchJobs({})).jobs.length < 2) {
    if (Date.now() > deadline) throw new Error('the history did not store both jobs in 20 s');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  paymentsJobId = (await analyzer.history.searchJobs({ queue: 'payments' })).jobs[0].jobId;

  transport = new StdioClientTransport({
    command: process.execPath,
    args: [...JOBLENS_COMMAND, 'mcp', '--url', apiUrl],
    env: { ...stringEnv(), JOBLENS_READ_TOKEN: TOKEN, JOBLENS_TOKEN: '' },
    stderr: 'pipe',
  });
  transport.stderr?.on('data', (chunk) => (stderr += chunk));
  client = new Client({ name: 'joblens-test', version: '1.0.0' });
  client.onerror = (error) => protocolErrors.push(error);
  await client.connect(transport);
}, 60_000);

afterAll(async () => {
  await client?.close();
  await analyzer?.stop();
});

async function call(name: string, args: Record<string, unknown> = {}): Promise<CallToolResult> {
  const result = (await client.callTool({ name, arguments: args })) as CallToolResult;
  for (const block of result.content) {
    if (block.type !== 'text') continue;
    expect(block.text).not.toMatch(CONTROL);
    for (const secret of HOSTILE_SECRETS) expect(block.text).not.toContain(secret);
  }
  return result;
}
const textOf = (result: CallToolResult, index = 0) => {
  const block = result.content[index];
  if (block?.type !== 'text') throw new Error(`content ${index} is not text`);
  return block.text;
};
const jsonOf = <T>(result: CallToolResult, index = 0) => JSON.parse(textOf(result, index)) as T;

describe('joblens mcp', () => {
  it('offers its six tools, each with an input schema', async () => {
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual([
      'explain_finding',
      'job_attempts',
      'list_findings',
      'list_workers',
      'search_findings',
      'search_jobs',
    ]);
    const searchJobs = tools.find((t) => t.name === 'search_jobs');
    expect(Object.keys(searchJobs?.inputSchema.properties ?? {})).toEqual([
      'queue',
      'name',
      'id',
      'worker',
      'outcome',
      'error',
      'from',
      'to',
      'limit',
      'cursor',
    ]);
    expect(tools.find((t) => t.name === 'job_attempts')?.inputSchema.required).toEqual([
      'service',
      'queue',
      'jobId',
    ]);
  });

  it('lists the open findings, with the hostile name stripped of its control characters', async () => {
    const findings = jsonOf<Array<{ id: string; type: string; state: string; summary: string }>>(
      await call('list_findings', { status: 'open' }),
    );
    const runaway = findings.find((f) => f.id === findingId);
    expect(runaway).toMatchObject({ type: 'runaway_retries', state: 'open' });
    expect(runaway?.summary).toContain('<script>alert(1)</script>report2Jexe');
    expect(jsonOf(await call('list_findings', { status: 'resolved' }))).toEqual([]);
  });

  it('searches findings by text in their summary and subject', async () => {
    const hits = jsonOf<Array<{ id: string }>>(await call('search_findings', { query: 'REPORT2J' }));
    expect(hits.map((f) => f.id)).toEqual([findingId]);
    expect(jsonOf(await call('search_findings', { query: 'no finding says this' }))).toEqual([]);
  });

  it('explains a finding as redacted Markdown, and says so when the id is unknown', async () => {
    const markdown = textOf(await call('explain_finding', { id: findingId }));
    expect(markdown).toMatch(/^# /);
    expect(markdown).toContain('password=[REDACTED]');
    expect(markdown).toContain('&lt;script&gt;');
    const unknown = await call('explain_finding', { id: 'no-such-finding' });
    expect(unknown.isError).toBe(true);
    expect(textOf(unknown)).toBe('no finding with id no-such-finding');
  });

  it('searches the job history with the API filters', async () => {
    const completed = jsonOf<{ jobs: Array<{ jobName: string; queue: string }> }>(
      await call('search_jobs', { outcome: 'completed' }),
    );
    expect(completed.jobs.map((j) => [j.jobName, j.queue])).toEqual([['render', 'invoices']]);
    const page = jsonOf<{ jobs: unknown[]; nextCursor?: string }>(await call('search_jobs', { limit: 1 }));
    expect(page.jobs).toHaveLength(1);
    const next = jsonOf<{ jobs: unknown[] }>(
      await call('search_jobs', { limit: 1, cursor: page.nextCursor }),
    );
    expect(next.jobs).toHaveLength(1);
    expect(next.jobs).not.toEqual(page.jobs);
    const bad = await call('search_jobs', { from: 'last tuesday' });
    expect(bad.isError).toBe(true);
    expect(textOf(bad)).toMatch(/answered 400: from must be an ISO-8601 time/);
  });

  it("shows a job's attempts with a timeline across its retries, and its findings", async () => {
    const result = await call('job_attempts', {
      service: 'payments',
      queue: 'payments',
      jobId: paymentsJobId,
    });
    expect(result.isError).toBeFalsy();
    const summary = textOf(result, 0);
    expect(summary).toMatch(/retry_scheduled after 5 attempts/);
    expect(summary).toContain(`finding ${findingId} (runaway_retries, open)`);
    expect(summary).toMatch(/^timeline:$/m);
    expect(summary.match(/^ {2}#\d \|/gm)).toHaveLength(5);
    const detail = jsonOf<{ attempts: Array<{ attempt: number; errorMessage: string }> }>(result, 1);
    expect(detail.attempts.map((a) => a.attempt)).toEqual([1, 2, 3, 4, 5]);
    expect(detail.attempts[0].errorMessage).toBe('login failed: password=[REDACTED]');
  });

  it('lists the workers', async () => {
    const workers = jsonOf<Array<{ worker: string; host: string }>>(await call('list_workers'));
    expect(workers.map((w) => [w.worker, w.host])).toEqual([['worker-1', 'host-a']]);
  });

  it('refuses arguments outside the schema', async () => {
    const result = (await client.callTool({
      name: 'search_jobs',
      arguments: { outcome: 'maybe' },
    })) as CallToolResult;
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(/outcome/);
  });

  it('wrote nothing but protocol messages to stdout, and its own lines to stderr', () => {
    expect(protocolErrors).toEqual([]);
    expect(stderr).toContain('joblens mcp: serving http://127.0.0.1:');
  });
});

function stringEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env)) if (value !== undefined) env[name] = value;
  return env;
}
