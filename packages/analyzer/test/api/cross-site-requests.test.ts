import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AnalyzerHandle, createAnalyzer } from '../../src/analyzer.js';
import { formPost, jsonRequest, sendRequest } from './send-request.js';

const MONITOR = { slug: 'nightly', cron: '0 3 * * *', graceSeconds: 600 };
let analyzer: AnalyzerHandle;
let apiUrl: string;
let ownHost: string;

beforeAll(async () => {
  // No token at all: the setup the cross-site form POST paused a monitor in.
  analyzer = createAnalyzer({ port: 0, otlpPort: 0, dataDir: ':memory:', monitors: [MONITOR] });
  ({ apiUrl } = await analyzer.start());
  ownHost = new URL(apiUrl).host;
});
afterAll(() => analyzer.stop());

async function monitorState(): Promise<string> {
  const answer = await sendRequest(`${apiUrl}/api/monitors/nightly`);
  return (JSON.parse(answer.body) as { monitor: { state: string } }).monitor.state;
}

describe('state-changing requests with no token configured', () => {
  it('refuses the cross-site form POST that paused a monitor with 403, and the monitor stays as it was', async () => {
    const before = await monitorState();
    const answer = await sendRequest(
      `${apiUrl}/api/monitors/nightly/pause`,
      formPost({ reason: 'x' }, { origin: 'https://attacker.example', host: ownHost }),
    );
    expect(answer.status).toBe(403);
    expect(JSON.parse(answer.body).error).toContain('https://attacker.example');
    expect(await monitorState()).toBe(before);
    expect(before).not.toBe('paused');
  });

  it('refuses a page on another site by its Referer when the browser sent no Origin', async () => {
    const answer = await sendRequest(
      `${apiUrl}/api/monitors/nightly/pause`,
      jsonRequest('POST', {}, { referer: 'http://intranet.example/page', host: ownHost }),
    );
    expect(answer.status).toBe(403);
  });

  it('refuses Origin null, which sandboxed frames and local files send', async () => {
    const answer = await sendRequest(
      `${apiUrl}/api/monitors/nightly/pause`,
      jsonRequest('POST', {}, { origin: 'null', host: ownHost }),
    );
    expect(answer.status).toBe(403);
  });

  it('refuses a request for a Host that is not the analyzer, as a rebound DNS name sends it', async () => {
    const rebound = `attacker.example:${new URL(apiUrl).port}`;
    const answer = await sendRequest(
      `${apiUrl}/api/monitors/nightly/pause`,
      jsonRequest('POST', {}, { origin: `http://${rebound}`, host: rebound }),
    );
    expect(answer.status).toBe(403);
    expect(JSON.parse(answer.body).error).toContain('Host');
  });

  it('refuses a form body from the analyzer itself with 415: changes take JSON only', async () => {
    const answer = await sendRequest(
      `${apiUrl}/api/monitors/nightly/pause`,
      formPost({}, { origin: `http://${ownHost}`, host: ownHost }),
    );
    expect(answer.status).toBe(415);
    expect(JSON.parse(answer.body).error).toContain('application/json');
  });

  it('lets a JSON change through from the analyzer own page and from a client that sends no Origin', async () => {
    const fromPage = await sendRequest(
      `${apiUrl}/api/monitors/nightly/pause`,
      jsonRequest('POST', {}, { origin: `http://${ownHost}`, host: ownHost }),
    );
    expect(fromPage.status).toBe(200);
    expect(await monitorState()).toBe('paused');
    const fromCli = await sendRequest(`${apiUrl}/api/monitors/nightly/resume`, jsonRequest('POST', {}));
    expect(fromCli.status).toBe(200);
    expect(await monitorState()).not.toBe('paused');
  });

  it('keeps reads open to any Host and Origin, as before', async () => {
    const answer = await sendRequest(`${apiUrl}/api/findings`, {
      headers: { origin: 'https://attacker.example' },
    });
    expect(answer.status).toBe(200);
  });
});
