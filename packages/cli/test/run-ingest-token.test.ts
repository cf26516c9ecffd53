import { spawn } from 'node:child_process';
import { type AnalyzerHandle, type AnalyzerUrls, createAnalyzer } from '@joblens/analyzer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JOBLENS_COMMAND } from './run-joblens.js';

const INGEST = 'run-ingest-token';
const READ = 'run-read-token';
let analyzer: AnalyzerHandle;
let urls: AnalyzerUrls;

beforeAll(async () => {
  analyzer = createAnalyzer({
    port: 0,
    otlpPort: 0,
    dataDir: ':memory:',
    ingestToken: INGEST,
    readToken: READ,
    monitors: [{ slug: 'tokened-job', cron: '0 3 * * *', graceSeconds: 600 }],
  });
  urls = await analyzer.start();
});
afterAll(() => analyzer.stop());

function joblensRun(env: Record<string, string>): Promise<number | null> {
  return new Promise((done) => {
    const child = spawn(
      process.execPath,
      [
        ...JOBLENS_COMMAND,
        'run',
        '--monitor',
        'tokened-job',
        '--url',
        urls.apiUrl,
        '--otlp-endpoint',
        urls.otlpUrl,
        '--',
        process.execPath,
        '-e',
        '',
      ],
      { stdio: 'ignore', env: { ...process.env, ...env } },
    );
    child.on('close', done);
  });
}

describe('joblens run against an analyzer with role tokens', () => {
  it('pings with JOBLENS_INGEST_TOKEN, which wins over the shared JOBLENS_TOKEN', async () => {
    expect(await joblensRun({ JOBLENS_INGEST_TOKEN: INGEST, JOBLENS_TOKEN: READ })).toBe(0);
    const answer = await fetch(`${urls.apiUrl}/api/monitors/tokened-job`, {
      headers: { authorization: `Bearer ${READ}` },
    });
    const detail = (await answer.json()) as { pings: { type: string; source: string }[] };
    expect(detail.pings.filter((ping) => ping.source === 'http').map((ping) => ping.type)).toEqual(
      expect.arrayContaining(['start', 'success']),
    );
  });
});
