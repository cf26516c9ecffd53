import { type AnalyzerHandle, createAnalyzer } from '@joblens/analyzer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AnalyzerClient } from '../src/analyzer-client.js';

const READ = 'client-read-token';
const ADMIN = 'client-admin-token';
let analyzer: AnalyzerHandle;
let apiUrl: string;

beforeAll(async () => {
  analyzer = createAnalyzer({
    port: 0,
    otlpPort: 0,
    dataDir: ':memory:',
    readToken: READ,
    adminToken: ADMIN,
    monitors: [{ slug: 'nightly', cron: '0 3 * * *', graceSeconds: 600 }],
  });
  ({ apiUrl } = await analyzer.start());
});
afterAll(() => analyzer.stop());

describe('AnalyzerClient against an analyzer with a read and an admin token', () => {
  it('reads with JOBLENS_READ_TOKEN and acts with JOBLENS_ADMIN_TOKEN', async () => {
    const client = new AnalyzerClient({
      url: apiUrl,
      env: { JOBLENS_READ_TOKEN: READ, JOBLENS_ADMIN_TOKEN: ADMIN, JOBLENS_TOKEN: 'neither' },
    });
    await expect(client.getJson('/api/findings')).resolves.toMatchObject({ findings: [] });
    await expect(client.postJson('/api/monitors/nightly/pause', {})).resolves.toMatchObject({
      monitor: { state: 'paused' },
    });
  });

  it('says which role token an action lacks when only the read token is set', async () => {
    const client = new AnalyzerClient({ url: apiUrl, env: { JOBLENS_READ_TOKEN: READ } });
    await expect(client.postJson('/api/monitors/nightly/resume', {})).rejects.toThrow(
      `${apiUrl} refused the request (401): it needs the admin token (--token, JOBLENS_ADMIN_TOKEN or JOBLENS_TOKEN)`,
    );
  });
});
