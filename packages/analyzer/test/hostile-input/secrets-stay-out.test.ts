import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ERROR_MESSAGE_REDACTED,
  failingJobRequest,
  HOSTILE_SECRETS,
  JOB_NAME_REDACTED,
  JOB_NAME_WITH_URL_PASSWORD,
  PING_BODY_WITH_SECRETS,
} from '@joblens/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AnalyzerHandle, createAnalyzer } from '../../src/analyzer.js';
import type { Finding } from '../../src/findings/finding.js';

let analyzer: AnalyzerHandle;
let apiUrl: string;
let dataDir: string;
let webhook: Server;
const webhookBodies: string[] = [];
let finding: Finding;

/** A real HTTP receiver for the analyzer's webhook, keeping every body it is sent. */
async function startWebhookReceiver(): Promise<string> {
  webhook = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      webhookBodies.push(body);
      res.end('ok');
    });
  });
  await new Promise<void>((resolve) => webhook.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(webhook.address() as AddressInfo).port}/hook`;
}

async function waitFor<T>(probe: () => T | undefined | Promise<T | undefined>, what: string): Promise<T> {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    const found = await probe();
    if (found !== undefined) return found;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

function expectNoSecret(where: string, text: string): void {
  for (const secret of HOSTILE_SECRETS) expect(text, `${secret} in ${where}`).not.toContain(secret);
}

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'joblens-secrets-'));
  const alertWebhookUrl = await startWebhookReceiver();
  analyzer = createAnalyzer({
    port: 0,
    otlpPort: 0,
    dataDir: join(dataDir, 'data'),
    alertWebhookUrl,
    monitors: [{ slug: 'nightly-backup', periodSeconds: 3600 }],
  });
  const urls = await analyzer.start();
  apiUrl = urls.apiUrl;

  // Over the wire, as a worker sends it: everything below goes through the receiver.
  const response = await fetch(`${urls.otlpUrl}/v1/traces`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(
      failingJobRequest({ startMs: Date.now() - 20_000, jobName: JOB_NAME_WITH_URL_PASSWORD }),
    ),
  });
  expect(response.status).toBe(200);
  const ping = await fetch(`${apiUrl}/ping/nightly-backup`, { method: 'POST', body: PING_BODY_WITH_SECRETS });
  expect(ping.status).toBe(200);

  finding = await waitFor(async () => {
    await analyzer.evaluateNow();
    return (await analyzer.store.list({ type: 'runaway_retries' })).find((f) => f.status === 'open');
  }, 'a runaway_retries finding');
  await waitFor(() => (webhookBodies.length > 0 ? true : undefined), 'the webhook');
}, 30_000);

afterAll(async () => {
  await analyzer?.stop();
  await new Promise((resolve) => webhook?.close(resolve));
  await rm(dataDir, { recursive: true, force: true });
});

describe('secrets sent to the analyzer over OTLP', () => {
  it('leave no trace in the JSON API, which keeps the rest of the text', async () => {
    const list = await (await fetch(`${apiUrl}/api/findings`)).text();
    // The job name reached the API, with its password masked: the check below is not vacuous.
    expect(list).toContain(JOB_NAME_REDACTED);
    expectNoSecret('/api/findings', list);
    for (const path of [
      `/api/findings/${finding.id}`,
      `/api/findings/${finding.id}/context`,
      `/api/findings/${finding.id}/context?format=json`,
      '/api/workers',
      '/api/monitors/nightly-backup',
      '/metrics',
    ]) {
      expectNoSecret(path, await (await fetch(`${apiUrl}${path}`)).text());
    }
  });

  it('leave no trace in the page, which shows the redacted error message', async () => {
    const page = await (await fetch(`${apiUrl}/findings/${finding.id}`)).text();
    expect(page).toContain(ERROR_MESSAGE_REDACTED);
    expectNoSecret('the finding page', page);
    for (const path of ['/', '/workers', '/monitors']) {
      expectNoSecret(path, await (await fetch(`${apiUrl}${path}`)).text());
    }
  });

  it('leave no trace in the webhook bodies', () => {
    expect(webhookBodies.join('\n')).toContain(JOB_NAME_REDACTED);
    for (const body of webhookBodies) expectNoSecret('a webhook body', body);
  });

  it('leave no trace in the database file, its WAL or shm, and the file is private', async () => {
    await analyzer.evaluateNow();
    const folder = join(dataDir, 'data');
    const files = await readdir(folder);
    expect(files).toContain('joblens.db-wal');
    const bytes = Buffer.concat(await Promise.all(files.map((file) => readFile(join(folder, file)))));
    // The ping body and the finding were written: the bytes hold their redacted forms.
    expect(bytes.includes('PGPASSWORD=[REDACTED]')).toBe(true);
    expect(bytes.includes(JOB_NAME_REDACTED)).toBe(true);
    for (const secret of HOSTILE_SECRETS)
      expect(bytes.includes(secret), `${secret} in the database`).toBe(false);
    expect((await stat(folder)).mode & 0o777).toBe(0o700);
    expect((await stat(join(folder, 'joblens.db'))).mode & 0o777).toBe(0o600);
    expect((await stat(join(folder, 'joblens.db-wal'))).mode & 0o777).toBe(0o600);
  });
});

describe('e-mail addresses', () => {
  it('are masked at ingest when redactEmails is set', async () => {
    const masking = createAnalyzer({ port: 0, otlpPort: 0, dataDir: ':memory:', redactEmails: true });
    const urls = await masking.start();
    try {
      const jobName = 'notify ann.lee@example.com';
      await fetch(`${urls.otlpUrl}/v1/traces`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(failingJobRequest({ startMs: Date.now() - 20_000, jobName })),
      });
      await masking.evaluateNow();
      const list = await (await fetch(`${urls.apiUrl}/api/findings`)).text();
      expect(list).toContain('notify [EMAIL]');
      expect(list).not.toContain('ann.lee@example.com');
    } finally {
      await masking.stop();
    }
  });

  it('are kept by default, and a redactEmails that is not a boolean is refused by name', () => {
    expect(analyzer.config.redactEmails).toBe(false);
    expect(() => createAnalyzer({ dataDir: ':memory:', redactEmails: 'yes' as never })).toThrow(
      'redactEmails must be true or false, got "yes"',
    );
  });
});
