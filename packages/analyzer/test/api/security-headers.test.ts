import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AnalyzerHandle, createAnalyzer } from '../../src/analyzer.js';

let analyzer: AnalyzerHandle;
let apiUrl: string;

beforeAll(async () => {
  analyzer = createAnalyzer({ port: 0, otlpPort: 0, dataDir: ':memory:' });
  ({ apiUrl } = await analyzer.start());
});

afterAll(async () => {
  await analyzer?.stop();
});

const PATHS = ['/', '/workers', '/monitors', '/findings/unknown', '/api/findings', '/healthz', '/metrics'];

describe('security headers of the page and API', () => {
  it.each(PATHS)('answers %s with a policy that forbids framing and inline script', async (path) => {
    const response = await fetch(`${apiUrl}${path}`);
    const policy = response.headers.get('content-security-policy') ?? '';
    expect(policy).toContain("frame-ancestors 'none'");
    expect(policy).toContain("script-src 'self'");
    expect(policy).not.toContain('unsafe-inline');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
  });

  it('serves a page with no inline script, style or event handler', async () => {
    for (const path of ['/', '/workers', '/monitors']) {
      const page = await (await fetch(`${apiUrl}${path}`)).text();
      expect(page).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/i);
      expect(page).not.toMatch(/<style/i);
      expect(page).not.toMatch(/\son[a-z]+=/i);
      expect(page).not.toMatch(/\sstyle=/i);
    }
  });

  it('serves the stylesheet and script the page links, with their types', async () => {
    const page = await (await fetch(`${apiUrl}/`)).text();
    const style = /<link rel="stylesheet" href="([^"]+)">/.exec(page)?.[1];
    const script = /<script src="([^"]+)"/.exec(page)?.[1];
    const css = await fetch(`${apiUrl}${style}`);
    expect(css.headers.get('content-type')).toMatch(/^text\/css/);
    expect(await css.text()).toContain('header');
    const js = await fetch(`${apiUrl}${script}`);
    expect(js.headers.get('content-type')).toMatch(/javascript/);
    expect(await js.text()).toContain('addEventListener');
  });
});
