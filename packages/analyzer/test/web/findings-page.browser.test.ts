import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { startJoblens } from '@joblens/sdk';
import { CHROMIUM_ARGS, ensureChromium } from '@joblens/test-utils';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AnalyzerHandle, createAnalyzer } from '../../src/analyzer.js';
import type { Finding } from '../../src/findings/finding.js';

const ARTIFACTS = join(import.meta.dirname, '../../../../test-artifacts');
const HOSTILE_STEP = '<img src=x onerror="window.__xss=1">';

/** The few browser globals the tests touch (the test's TypeScript has no DOM library). */
type BrowserGlobals = {
  document: {
    querySelector(selector: string): unknown;
    createElement(tag: string): { textContent: string };
    body: { append(node: unknown): void };
  };
  getComputedStyle(element: unknown): { backgroundColor: string };
  __inline?: number;
};

let analyzer: AnalyzerHandle;
let apiUrl: string;
let browser: Browser;
let gapFinding: Finding;

async function waitForFinding(type: string, timeoutMillis = 20_000): Promise<Finding> {
  const deadline = Date.now() + timeoutMillis;
  while (Date.now() < deadline) {
    await analyzer.evaluateNow();
    const found = (await analyzer.store.list({ type })).find((f) => f.status === 'open');
    if (found) return found;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`no ${type} finding within ${timeoutMillis} ms`);
}

/** Opens a page and collects every console error and uncaught exception it raises. */
async function openPage(path: string): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(`${apiUrl}${path}`, { waitUntil: 'load' });
  return { page, errors };
}

beforeAll(async () => {
  analyzer = createAnalyzer({
    port: 0,
    otlpPort: 0,
    dataDir: ':memory:',
    jaegerUrl: 'http://jaeger.example:16686',
    detectors: { mystery_gap: { gapThresholdSeconds: 0.5 } },
  });
  const urls = await analyzer.start();
  apiUrl = urls.apiUrl;

  // A real instrumented worker: a job whose step is followed by a silent second before the next one.
  const joblens = startJoblens({
    serviceName: 'page-test-worker',
    endpoint: urls.otlpUrl,
    flushOnSignals: false,
    dumpSignal: false,
    watchdog: { enabled: false },
  });
  await joblens.runAttempt(
    { queue: 'reports', jobName: 'build-report', jobId: 'r-1', maxAttempts: 3 },
    async (job) => {
      await job.step('fetch-rows', () => new Promise((r) => setTimeout(r, 50)));
      await new Promise((r) => setTimeout(r, 1200));
      await job.step(HOSTILE_STEP, () => new Promise((r) => setTimeout(r, 50)));
    },
  );
  await joblens.shutdown();
  gapFinding = await waitForFinding('mystery_gap');

  browser = await chromium.launch({ executablePath: ensureChromium(), args: CHROMIUM_ARGS, headless: true });
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await analyzer?.stop();
});

describe('the findings page in a real browser', () => {
  it('lists the mystery gap with no console errors', async () => {
    const { page, errors } = await openPage('/');
    const rows = page.locator('#findings tbody tr');
    await expect.poll(() => rows.count()).toBeGreaterThan(0);
    expect(await page.locator('#findings tbody tr[data-type="mystery_gap"]').count()).toBe(1);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('filters by type and by status', async () => {
    const { page, errors } = await openPage('/');
    await Promise.all([
      page.waitForURL(/type=mystery_gap/),
      page.selectOption('select[name="type"]', 'mystery_gap'),
    ]);
    const types = await page
      .locator('#findings tbody tr')
      .evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-type')));
    expect(types.length).toBeGreaterThan(0);
    expect(new Set(types)).toEqual(new Set(['mystery_gap']));

    await Promise.all([
      page.waitForURL(/status=resolved/),
      page.selectOption('select[name="status"]', 'resolved'),
    ]);
    expect(await page.locator('#no-findings').isVisible()).toBe(true);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('opens the finding to a timeline that marks the gap, with step names shown as text', async () => {
    const { page, errors } = await openPage('/');
    await Promise.all([page.waitForURL(/\/findings\//), page.click(`a[href="/findings/${gapFinding.id}"]`)]);
    const svg = page.locator('#timeline svg.timeline');
    await expect.poll(() => svg.count()).toBe(1);
    expect(await svg.locator('rect.gap').count()).toBeGreaterThan(0);
    expect(await svg.locator('g.step').count()).toBe(2);
    // The hostile step name is drawn as text, never run as markup.
    expect(await page.evaluate(() => (globalThis as { __xss?: number }).__xss)).toBeUndefined();
    expect(await page.locator('img').count()).toBe(0);
    const jaegerLink = page.locator('ul.traces a').first();
    expect(await jaegerLink.getAttribute('href')).toMatch(
      /^http:\/\/jaeger\.example:16686\/trace\/[0-9a-f]{32}/,
    );
    // With Jaeger configured, the trace the next step names opens there.
    expect(await page.locator('#next-step a').first().getAttribute('href')).toBe(
      `http://jaeger.example:16686/trace/${gapFinding.evidence.traces[0]?.traceId}`,
    );
    await mkdir(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'finding-mystery-gap.png'), fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('styles the page from its stylesheet and refuses inline script under its policy', async () => {
    const { page, errors } = await openPage('/');
    const headerColor = await page.evaluate(() => {
      const window = globalThis as unknown as BrowserGlobals;
      return window.getComputedStyle(window.document.querySelector('header')).backgroundColor;
    });
    expect(headerColor).toBe('rgb(29, 35, 48)');
    expect(errors).toEqual([]);
    const ran = await page.evaluate(() => {
      const window = globalThis as unknown as BrowserGlobals;
      const script = window.document.createElement('script');
      script.textContent = 'globalThis.__inline = 1';
      window.document.body.append(script);
      return window.__inline;
    });
    expect(ran).toBeUndefined();
    await page.close();
  });

  it('shows the workers and monitors views', async () => {
    const workers = await openPage('/workers');
    expect(await workers.page.locator('#workers').textContent()).toContain('page-test-worker');
    expect(workers.errors).toEqual([]);
    await workers.page.close();
    const monitors = await openPage('/monitors');
    expect(await monitors.page.locator('h1').textContent()).toBe('Monitors');
    expect(monitors.errors).toEqual([]);
    await monitors.page.close();
  });
});
