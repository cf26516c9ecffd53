import { CHROMIUM_ARGS, ensureChromium, failingJobRequest } from '@joblens/test-utils';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AnalyzerHandle, createAnalyzer } from '../../src/analyzer.js';

const HOSTILE_NAME = '<img src=x onerror="window.__xss=1">';

let analyzer: AnalyzerHandle;
let apiUrl: string;
let browser: Browser;

/** Opens a page and collects every console error (a CSP violation is one) and uncaught exception. */
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
  analyzer = createAnalyzer({ port: 0, otlpPort: 0, dataDir: ':memory:' });
  const urls = await analyzer.start();
  apiUrl = urls.apiUrl;
  // Two failing jobs through the receiver, one named to run script if the page let it.
  for (const [jobName, service] of [
    [HOSTILE_NAME, 'payments'],
    ['charge-card', 'billing'],
  ]) {
    const response = await fetch(`${urls.otlpUrl}/v1/traces`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(
        failingJobRequest({ startMs: Date.now() - 30_000, jobName, service, attempts: 3 }),
      ),
    });
    expect(response.status).toBe(200);
  }
  const deadline = Date.now() + 20_000;
  while ((await analyzer.history.searchJobs({})).jobs.length < 2) {
    if (Date.now() > deadline) throw new Error('the history did not store both jobs in 20 s');
    await new Promise((r) => setTimeout(r, 100));
  }
  browser = await chromium.launch({ executablePath: ensureChromium(), args: CHROMIUM_ARGS, headless: true });
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await analyzer?.stop();
});

describe('the Jobs page in a real browser', () => {
  it('lists both jobs, runs no markup from a job name, and raises no console error', async () => {
    const { page, errors } = await openPage('/jobs');
    expect(await page.locator('#jobs tbody tr').count()).toBe(2);
    expect(await page.locator('#jobs tbody').textContent()).toContain(HOSTILE_NAME);
    expect(await page.locator('img').count()).toBe(0);
    expect(await page.evaluate(() => (globalThis as { __xss?: number }).__xss)).toBeUndefined();
    expect(errors).toEqual([]);
    await page.close();
  });

  it('filters by job name through the form', async () => {
    const { page, errors } = await openPage('/jobs');
    await page.fill('input[name="name"]', 'charge-card');
    await Promise.all([
      page.waitForURL(/name=charge-card/),
      page.click('form.filters button[type="submit"]'),
    ]);
    const names = await page.locator('#jobs tbody tr td:first-child').allTextContents();
    expect(names).toEqual(['charge-card']);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('opens a job to its attempts and its timeline across retries', async () => {
    const { page, errors } = await openPage('/jobs?name=charge-card');
    await Promise.all([page.waitForURL(/\/jobs\/billing\/payments\//), page.click('#jobs tbody a')]);
    expect(await page.locator('#attempts tbody tr').count()).toBe(3);
    expect(await page.locator('#timeline svg.timeline').count()).toBe(1);
    expect(await page.locator('header a.current').textContent()).toBe('Jobs');
    expect(errors).toEqual([]);
    await page.close();
  });
});
