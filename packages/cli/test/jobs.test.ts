import { type AnalyzerHandle, createAnalyzer, type JobPage } from '@joblens/analyzer';
import { failingJobRequest, TERMINAL_AND_HTML_JOB_NAME } from '@joblens/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attemptWithGapRequest } from './otlp-json-attempt.js';
import { runJoblens, runJoblensInProcess } from './run-joblens.js';

// C0 controls but newline and tab, DEL, C1 controls and the bidi overrides.
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point.
const CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/;
const TOKEN = 'jobs-cli-token';

let analyzer: AnalyzerHandle;
let apiUrl: string;

/** Posts OTLP/JSON as a worker would, then waits until the history stored `count` jobs (it writes in batches). */
async function postAndWaitForHistory(otlpUrl: string, requests: unknown[], count: number): Promise<void> {
  for (const body of requests) {
    const response = await fetch(`${otlpUrl}/v1/traces`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
      body: JSON.stringify(body),
    });
    expect(response.status).toBe(200);
  }
  const deadline = Date.now() + 20_000;
  while ((await analyzer.history.searchJobs({ limit: 10 })).jobs.length < count) {
    if (Date.now() > deadline) throw new Error(`the history did not store ${count} jobs in 20 s`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

beforeAll(async () => {
  analyzer = createAnalyzer({ port: 0, otlpPort: 0, dataDir: ':memory:', token: TOKEN });
  const urls = await analyzer.start();
  apiUrl = urls.apiUrl;
  const start = Date.now() - 30_000;
  await postAndWaitForHistory(
    urls.otlpUrl,
    [
      attemptWithGapRequest(start),
      failingJobRequest({ startMs: start, jobName: TERMINAL_AND_HTML_JOB_NAME }),
    ],
    2,
  );
}, 40_000);
afterAll(() => analyzer?.stop());

describe('joblens jobs', () => {
  it('prints the stored jobs as a table, newest first, without the control characters of a hostile name', async () => {
    const result = await runJoblens(['jobs', '--url', apiUrl, '--token', TOKEN]);
    expect(result.code).toBe(0);
    expect(result.stdout).not.toMatch(CONTROL);
    const lines = result.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^ENDED\s+SERVICE\s+QUEUE\s+JOB\s+ID\s+ATTEMPTS\s+OUTCOME\s+WORKER\s+ERROR$/);
    expect(lines).toHaveLength(3);
    expect(result.stdout).toMatch(
      /payments\s+payments\s+<script>alert\(1\)<\/script>report2Jexe\s+[0-9a-f]+\s+5\s+retry_scheduled\s+worker-1\s+AuthError/,
    );
    expect(result.stdout).toMatch(
      /billing\s+invoices\s+render\s+job-[0-9a-f]+\s+1\s+completed\s+worker-1\s+-/,
    );
  });

  it('passes the filters to the analyzer and prints JSON with the cursor of the next page', async () => {
    const result = await runJoblensInProcess([
      'jobs',
      '--url',
      apiUrl,
      '--token',
      TOKEN,
      '--limit',
      '1',
      '--json',
    ]);
    expect(result.code).toBe(0);
    const page = JSON.parse(result.stdout) as JobPage;
    expect(page.jobs).toHaveLength(1);
    expect(page.nextCursor).toEqual(expect.any(String));
    const next = await runJoblensInProcess([
      'jobs',
      '--url',
      apiUrl,
      '--token',
      TOKEN,
      '--limit',
      '1',
      '--cursor',
      page.nextCursor!,
      '--json',
    ]);
    const second = JSON.parse(next.stdout) as JobPage;
    expect(second.jobs.map((j) => j.jobId)).not.toEqual(page.jobs.map((j) => j.jobId));
    const filtered = await runJoblensInProcess([
      'jobs',
      '--url',
      apiUrl,
      '--token',
      TOKEN,
      '--outcome',
      'completed',
    ]);
    expect(filtered.stdout).toMatch(/render/);
    expect(filtered.stdout).not.toMatch(/payments/);
    const table = await runJoblensInProcess(['jobs', '--url', apiUrl, '--token', TOKEN, '--limit', '1']);
    expect(table.stdout).toContain(`more jobs match: add --cursor ${page.nextCursor}`);
  });

  it('shows one job by id: its attempts, its finding and a timeline across retries', async () => {
    await analyzer.evaluateNow();
    const result = await runJoblens(
      ['jobs', 'show', '--id', (await jobOf('payments')).jobId, '--url', apiUrl],
      { JOBLENS_READ_TOKEN: TOKEN },
    );
    expect(result.code).toBe(0);
    expect(result.stdout).not.toMatch(CONTROL);
    expect(result.stdout).toMatch(
      /^<script>alert\(1\)<\/script>report2Jexe #[0-9a-f]+ on payments\/payments: retry_scheduled after 5 attempts$/m,
    );
    expect(result.stdout).toMatch(
      /^#\s+WORKER\s+HOST\s+STARTED\s+DURATION\s+OUTCOME\s+STEPS\s+LONGEST GAP\s+TRACE\s+ERROR$/m,
    );
    expect(result.stdout).toMatch(
      /^1\s+worker-1\s+host-a\s+.*\s+1\.0 s\s+retry_scheduled\s+.*AuthError: login failed: password=\[REDACTED\]$/m,
    );
    expect(result.stdout).toMatch(/^timeline:$/m);
    expect(result.stdout).toMatch(/^finding runaway_retries-\S+ \(runaway_retries, open\): /m);
    expect(result.stdout).toMatch(/^ {2}#5 \|\s+=+\| 1\.0 s retry_scheduled$/m);
    expect(result.stdout).not.toContain('hunter2');
  });

  it('shows one job by service, queue and id, with its steps', async () => {
    const job = await jobOf('invoices');
    const result = await runJoblensInProcess([
      'jobs',
      'show',
      'billing',
      'invoices',
      job.jobId,
      '--url',
      apiUrl,
      '--token',
      TOKEN,
    ]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^render #job-[0-9a-f]+ on billing\/invoices: completed after 1 attempt$/m);
    expect(result.stdout).toMatch(/fetch\s+\+0 ms for 200 ms/);
    expect(result.stdout).toMatch(/upload\s+\+3\.2 s for 200 ms/);
  });

  it('says in one line that a job is not stored, or that a filter is wrong', async () => {
    const missing = await runJoblensInProcess([
      'jobs',
      'show',
      'billing',
      'invoices',
      'nope',
      '--url',
      apiUrl,
      '--token',
      TOKEN,
    ]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe('joblens jobs: no job nope on queue invoices of service billing\n');
    const byId = await runJoblensInProcess([
      'jobs',
      'show',
      '--id',
      'nope',
      '--url',
      apiUrl,
      '--token',
      TOKEN,
    ]);
    expect(byId.stderr).toBe('joblens jobs: no stored job has id "nope"\n');
    const bad = await runJoblensInProcess(['jobs', '--from', 'yesterday', '--url', apiUrl, '--token', TOKEN]);
    // A value the analyzer refuses is bad usage, as one the CLI refuses itself.
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(
      /^joblens jobs: .* answered 400: from must be an ISO-8601 time .*got "yesterday"\n$/,
    );
  });

  it('needs the read token: the job history is as protected as the findings', async () => {
    const result = await runJoblensInProcess(['jobs', '--url', apiUrl, '--token', 'wrong']);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      `joblens jobs: ${apiUrl} refused the request (401): the token is not valid for the read role\n`,
    );
    expect((await fetch(`${apiUrl}/jobs`)).status).toBe(401);
  });

  it('refuses a show without its job, and an unknown word, with exit code 2', async () => {
    const result = await runJoblensInProcess(['jobs', 'show', 'billing']);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      "joblens jobs: 'jobs show' takes <service> <queue> <job-id> or --id <job-id>, got 1 argument(s)\n",
    );
    const word = await runJoblensInProcess(['jobs', 'list']);
    expect(word.code).toBe(2);
    expect(word.stderr).toBe("joblens jobs: unknown argument 'list'; did you mean 'joblens jobs show'?\n");
  });
});

async function jobOf(queue: string) {
  const { jobs } = await analyzer.history.searchJobs({ queue });
  expect(jobs).toHaveLength(1);
  return jobs[0]!;
}
