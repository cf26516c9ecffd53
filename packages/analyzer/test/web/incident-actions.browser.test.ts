import { CHROMIUM_ARGS, ensureChromium } from '@joblens/test-utils';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AnalyzerHandle, createAnalyzer } from '../../src/analyzer.js';
import type { Finding } from '../../src/findings/finding.js';
import { openDatabase } from '../../src/store/open-database.js';
import { SqliteFindingStore } from '../../src/store/sqlite-finding-store.js';
import { makeFinding, makeOpening } from '../store/make-finding.js';

const TOKEN = 'incident-page-token';
let analyzer: AnalyzerHandle;
let apiUrl: string;
let browser: Browser;
let toAcknowledge: Finding;
let toSnooze: Finding;
let untouched: Finding;

beforeAll(async () => {
  const now = Date.now();
  toAcknowledge = makeFinding({ firstSeen: now - 60_000, lastSeen: now - 1000 });
  toSnooze = makeFinding({ firstSeen: now - 60_000, lastSeen: now - 2000 });
  untouched = makeFinding({ firstSeen: now - 60_000, lastSeen: now - 3000 });
  const store = new SqliteFindingStore(openDatabase(':memory:'));
  await store.save(
    [toAcknowledge, toSnooze, untouched],
    [makeOpening(toAcknowledge), makeOpening(toSnooze), makeOpening(untouched)],
  );
  // Inherited from the store, the findings stay open through the analyzer's first minute without telemetry.
  analyzer = createAnalyzer({ port: 0, otlpPort: 0, dataDir: ':memory:', token: TOKEN }, { store });
  ({ apiUrl } = await analyzer.start());
  browser = await chromium.launch({ executablePath: ensureChromium(), args: CHROMIUM_ARGS, headless: true });
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await analyzer?.stop();
});

/** A browser session signed in the way people sign in: the token once in the URL, then its cookie. */
async function openFindingPage(finding: Finding): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(`${apiUrl}/?token=${TOKEN}`, { waitUntil: 'load' });
  await page.goto(`${apiUrl}/findings/${finding.id}`, { waitUntil: 'load' });
  return { page, errors };
}

describe('acknowledging and snoozing from the finding page', () => {
  it('acknowledges the finding with the name typed, and the page and the list show who has it', async () => {
    const { page, errors } = await openFindingPage(toAcknowledge);
    expect(await page.locator('#incident-state').textContent()).toBe('open');
    await page.fill('#acknowledge input[name="by"]', 'alice');
    await Promise.all([page.waitForEvent('load'), page.click('#acknowledge button')]);
    expect(await page.locator('#incident-state').textContent()).toBe('acknowledged by alice');
    expect(await page.locator('#acknowledge').count()).toBe(0);
    expect(await analyzer.store.get(toAcknowledge.id)).toMatchObject({ acknowledgedBy: 'alice' });
    await page.goto(`${apiUrl}/`, { waitUntil: 'load' });
    expect(await page.locator(`#findings tr[data-state="acknowledged"]`).textContent()).toContain(
      'acknowledged by alice',
    );
    expect(errors).toEqual([]);
    await page.close();
  });

  it('snoozes the finding for the hours chosen, recording the name typed on the page', async () => {
    const { page, errors } = await openFindingPage(toSnooze);
    const before = Date.now();
    await page.fill('#acknowledge input[name="by"]', 'alice');
    await page.selectOption('#snooze select[name="hours"]', '4');
    await Promise.all([page.waitForEvent('load'), page.click('#snooze button')]);
    expect(await page.locator('#incident-state').textContent()).toMatch(/^snoozed until \d{4}-\d\d-\d\d /);
    const stored = (await analyzer.store.get(toSnooze.id))!;
    expect(stored.snoozedUntil).toBeGreaterThanOrEqual(before + 4 * 3_600_000 - 1000);
    expect(stored.snoozedUntil).toBeLessThanOrEqual(Date.now() + 4 * 3_600_000);
    expect((await analyzer.store.transitions(toSnooze.id)).at(-1)).toMatchObject({
      event: 'snoozed',
      actor: 'alice',
    });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('keeps the name being typed across the page reloading itself', async () => {
    const { page, errors } = await openFindingPage(untouched);
    await page.fill('#acknowledge input[name="by"]', 'dana');
    await page.reload({ waitUntil: 'load' });
    expect(await page.inputValue('#acknowledge input[name="by"]')).toBe('dana');
    expect((await analyzer.store.get(untouched.id))?.acknowledgedBy).toBeUndefined();
    expect(errors).toEqual([]);
    await page.close();
  });

  it('shows the refusal when the finding was acknowledged meanwhile', async () => {
    const { page } = await openFindingPage(toSnooze);
    const response = await fetch(`${apiUrl}/api/findings/${toSnooze.id}/acknowledge`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ by: 'bob' }),
    });
    expect(response.status).toBe(200);
    await page.fill('#acknowledge input[name="by"]', 'carol');
    await page.click('#acknowledge button');
    const error = page.locator('.incident-error');
    await expect.poll(() => error.isVisible()).toBe(true);
    expect(await error.textContent()).toMatch(/acknowledged by bob/);
    await page.close();
  });
});
