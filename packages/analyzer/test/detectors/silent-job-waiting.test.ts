import { type ChildProcess, spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Finding } from '../../src/findings/finding.js';
import { type AnalyzerHandle, createAnalyzer } from '../../src/index.js';

const root = fileURLToPath(new URL('../../../..', import.meta.url));
/** The SDK's own fixture: a plain worker whose job awaits an HTTP call, nothing joblens-specific in the job. */
const fixture = fileURLToPath(new URL('../../../sdk/test/fixtures/hanging-call-worker.ts', import.meta.url));

describe('a worker whose job awaits an HTTP call to a server that never answers', () => {
  let analyzer: AnalyzerHandle;
  let urls: { otlpUrl: string; apiUrl: string };
  let silent: Server;
  let address: string;
  let worker: ChildProcess;
  let output = '';
  let finding: Finding;

  beforeAll(async () => {
    silent = createServer(() => {});
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    address = `127.0.0.1:${(silent.address() as AddressInfo).port}`;
    analyzer = createAnalyzer({
      port: 0,
      otlpPort: 0,
      dataDir: ':memory:',
      evaluationIntervalMillis: 100,
      // Low thresholds stand in for a long hang: the test waits for the finding, not for a set time.
      detectors: { silent_job: { silenceThresholdSeconds: 0.5 } },
    });
    urls = await analyzer.start();
    worker = spawn(process.execPath, ['--import', 'tsx', fixture], {
      cwd: root,
      env: {
        ...process.env,
        FIXTURE_ENDPOINT: urls.otlpUrl,
        FIXTURE_TARGET_URL: `http://${address}/rows?token=abc`,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    worker.stdout?.on('data', (chunk) => {
      output += chunk;
    });
    worker.stderr?.on('data', (chunk) => {
      output += chunk;
    });
    for (let i = 0; i < 300 && finding === undefined; i++) {
      const body = (await (await fetch(`${urls.apiUrl}/api/findings?type=silent_job`)).json()) as {
        findings: Finding[];
      };
      finding = body.findings.find((f) => f.evidence.figures.waitingOn !== undefined) as Finding;
      if (finding === undefined) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    if (finding === undefined) throw new Error(`no silent_job naming a call; worker said:\n${output}`);
  }, 60_000);

  afterAll(async () => {
    worker?.kill('SIGKILL');
    silent?.closeAllConnections();
    silent?.close();
    await analyzer?.stop();
  });

  it('raises a silent_job that names the call, its host:port and the step in its summary', () => {
    expect(finding.subject).toMatchObject({ jobName: 'export-rows', jobId: 'job-7', queue: 'exports' });
    expect(finding.summary).toContain(`waiting`);
    expect(finding.summary).toContain(`\`GET http://${address}/rows\``);
    expect(finding.summary).toContain('in step "stream-rows"');
    expect(finding.nextStep).toContain(`check that ${address} answers`);
  });

  it('gives the call and the sockets as evidence in the API, without the query string', () => {
    expect(finding.evidence.figures.waitingOn).toBe(`GET http://${address}/rows`);
    expect(finding.evidence.figures.openCalls).toBe(1);
    expect(String(finding.evidence.figures.socketsTo)).toContain(address);
    const waiting = finding.evidence.detail?.waiting as { calls: { call: string; openSeconds: number }[] };
    expect(waiting.calls).toEqual([{ call: `GET http://${address}/rows`, openSeconds: expect.any(Number) }]);
    expect(JSON.stringify(finding)).not.toContain('token=abc');
  });

  it('shows the call on the finding page and in explain', async () => {
    const page = await (await fetch(`${urls.apiUrl}/findings/${encodeURIComponent(finding.id)}`)).text();
    expect(page).toContain('<section id="waiting-on"><h2>Waiting on</h2>');
    expect(page).toContain(`<code>GET http://${address}/rows</code>`);
    const markdown = await (
      await fetch(`${urls.apiUrl}/api/findings/${encodeURIComponent(finding.id)}/context`)
    ).text();
    expect(markdown).toContain('## Waiting on');
    expect(markdown).toContain(`\`GET http://${address}/rows\``);
  });
});
