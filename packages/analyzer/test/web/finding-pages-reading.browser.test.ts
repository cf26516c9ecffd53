import { mkdir } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { type Joblens, startJoblens } from '@joblens/sdk';
import { CHROMIUM_ARGS, ensureChromium } from '@joblens/test-utils';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AnalyzerHandle, createAnalyzer } from '../../src/analyzer.js';
import type { Finding } from '../../src/findings/finding.js';

// The pages as a person reads them during an incident, fed by a real instrumented worker (this process,
// so its pid is known here) and an analyzer with no Jaeger configured.

const ARTIFACTS = join(import.meta.dirname, '../../../../test-artifacts');
const POISON_ATTEMPTS = 100;
const SEVERITY_RANK: Record<string, number> = { critical: 0, warning: 1, info: 2 };

/** The little of the DOM these checks use inside the page (the project's types leave the DOM out). */
type Box = { x: number; y: number; width: number; height: number };
type Drawn = { getBBox(): Box };
type PageGlobals = { document: { documentElement: { scrollHeight: number } } };

let analyzer: AnalyzerHandle;
let apiUrl: string;
let browser: Browser;
let joblens: Joblens;
let releaseHungJob: () => void = () => {};
let hungJobDone: Promise<unknown> = Promise.resolve();
let poisonFinding: Finding;
let silentFinding: Finding;

async function waitForFinding(match: (f: Finding) => boolean, what: string): Promise<Finding> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    await analyzer.evaluateNow();
    const found = (await analyzer.store.list({ status: 'open' })).find(match);
    if (found) return found;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`no open ${what} finding within 30 s`);
}

/** Opens a page and collects every console error and uncaught exception it raises. */
async function openPage(path: string): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(`${apiUrl}${path}`, { waitUntil: 'load' });
  return { page, errors };
}

class ValidationError extends Error {
  override name = 'ValidationError';
}

beforeAll(async () => {
  analyzer = createAnalyzer({
    port: 0,
    otlpPort: 0,
    dataDir: ':memory:',
    // A silent job after a second, and never critical within this test; the poison job's attempts are
    // retries of one job, which is what runaway_retries looks for.
    detectors: { silent_job: { silenceThresholdSeconds: 1, criticalFactor: 1000 } },
  });
  const urls = await analyzer.start();
  apiUrl = urls.apiUrl;

  joblens = startJoblens({
    serviceName: 'reading-test-worker',
    endpoint: urls.otlpUrl,
    flushOnSignals: false,
    dumpSignal: false,
    watchdog: { enabled: false },
    stillRunningIntervalMillis: 300,
  });
  // A poison job: the same contact retried a hundred times, failing with a message that holds a secret.
  for (let attempt = 1; attempt <= POISON_ATTEMPTS; attempt++) {
    await joblens
      .runAttempt(
        { queue: 'crm', jobName: 'sync-crm-contact', jobId: '4711', attempt, maxAttempts: 1000 },
        async (job) => {
          await job.step('load-contact', async () => {});
          throw new ValidationError('CRM rejected contact 4711, password=hunter2, email is missing');
        },
      )
      .catch(() => {});
  }
  // A job that hangs in a step until the test ends: the worker holds it, silent.
  hungJobDone = joblens.runAttempt({ queue: 'exports', jobName: 'generate-export', jobId: 'e-1' }, (job) =>
    job.step('stream-rows', () => new Promise<void>((resolve) => (releaseHungJob = resolve))),
  );
  await joblens.forceFlush();
  poisonFinding = await waitForFinding(
    (f) => f.type === 'runaway_retries' && f.subject.jobId === '4711',
    'runaway_retries',
  );
  silentFinding = await waitForFinding((f) => f.type === 'silent_job', 'silent_job');

  browser = await chromium.launch({ executablePath: ensureChromium(), args: CHROMIUM_ARGS, headless: true });
}, 90_000);

afterAll(async () => {
  releaseHungJob();
  await hungJobDone;
  await joblens?.shutdown();
  await browser?.close();
  await analyzer?.stop();
});

describe('the findings list, read as a person reads it', () => {
  it('puts the most severe findings first, and the most recently seen first within a severity', async () => {
    const { page, errors } = await openPage('/');
    const rows = await page.locator('#findings tbody tr').evaluateAll((trs) =>
      trs.map((tr) => ({
        severity: tr.querySelector('td[class^="sev-"]')?.textContent ?? '',
        id: tr.querySelector('a')?.getAttribute('href')?.replace('/findings/', '') ?? '',
      })),
    );
    const severities = rows.map((row) => row.severity);
    // Both kinds are present, so the order below is something the page did, not an accident.
    expect(new Set(severities)).toEqual(new Set(['critical', 'warning']));
    const ranks = severities.map((s) => SEVERITY_RANK[s] ?? 3);
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
    const lastSeen = new Map((await analyzer.store.list({})).map((f) => [f.id, f.lastSeen]));
    for (let i = 1; i < rows.length; i++) {
      if (rows[i]!.severity !== rows[i - 1]!.severity) continue;
      expect(lastSeen.get(rows[i]!.id)).toBeLessThanOrEqual(lastSeen.get(rows[i - 1]!.id)!);
    }
    expect(errors).toEqual([]);
    await page.close();
  });
});

describe("a poison job's finding page", () => {
  it('draws the first and last attempts and one line for the rest, on a page of normal height', async () => {
    const { page, errors } = await openPage(`/findings/${poisonFinding.id}`);
    const svg = page.locator('#timeline svg.timeline');
    const lanes = await svg.locator('text.lane-label').allTextContents();
    expect(lanes).toHaveLength(6);
    expect(lanes.slice(0, 2)).toEqual(['attempt 1 · retry_scheduled', 'attempt 2 · retry_scheduled']);
    expect(lanes[2]).toBe('attempts 3–97 (95) not drawn: 95 retry_scheduled · errors ValidationError 95');
    expect(lanes.slice(3)).toEqual([
      'attempt 98 · retry_scheduled',
      'attempt 99 · retry_scheduled',
      'attempt 100 · retry_scheduled',
    ]);
    const box = await svg.boundingBox();
    expect(box?.height).toBeLessThan(400);
    const pageHeight = await page.evaluate(
      () => (globalThis as unknown as PageGlobals).document.documentElement.scrollHeight,
    );
    expect(pageHeight).toBeLessThan(2000);
    await mkdir(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'finding-poison-job.png'), fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('writes no label over a bar too narrow to hold it', async () => {
    const { page } = await openPage(`/findings/${poisonFinding.id}`);
    const overflowing = await page.locator('#timeline svg text.step-label').evaluateAll(
      (labels) =>
        labels.filter((label) => {
          const bar = label.parentElement?.querySelector('rect');
          if (!bar) return true;
          const text = (label as unknown as Drawn).getBBox();
          const rect = (bar as unknown as Drawn).getBBox();
          return text.x + text.width > rect.x + rect.width + 1;
        }).length,
    );
    expect(overflowing).toBe(0);
    // Nor does an attempt's label reach into the drawing, where the bars begin.
    const labelsPastBars = await page.locator('#timeline svg').evaluate((svg) => {
      const bars = [...svg.querySelectorAll('rect.attempt')].map((r) => (r as unknown as Drawn).getBBox());
      const firstBarX = Math.min(...bars.map((b) => b.x));
      return [...svg.querySelectorAll('text.lane-label, text.lane-error')]
        .filter((t) => !t.closest('g.attempts-summary'))
        .map((t) => (t as unknown as Drawn).getBBox())
        .filter((b) => b.x + b.width > firstBarX).length;
    });
    expect(labelsPastBars).toBe(0);
    await page.close();
  });

  it("shows the failing attempt's error message with its secret redacted", async () => {
    const { page } = await openPage(`/findings/${poisonFinding.id}`);
    const failing = page.locator('#failing-attempt');
    expect(await failing.textContent()).toContain('Attempt 100 (retry_scheduled');
    expect(await failing.locator('code').textContent()).toBe('ValidationError');
    expect(await failing.locator('pre.error-message').textContent()).toBe(
      'CRM rejected contact 4711, password=[REDACTED], email is missing',
    );
    expect(await page.content()).not.toContain('hunter2');
    await page.close();
  });

  it('links the trace of its next step to the timeline on the page when there is no Jaeger', async () => {
    const { page } = await openPage(`/findings/${poisonFinding.id}`);
    const link = page.locator('#next-step a').first();
    expect(await link.getAttribute('href')).toBe('#timeline');
    expect(await link.textContent()).toMatch(/^[0-9a-f]{32}$/);
    await link.click();
    expect(new URL(page.url()).hash).toBe('#timeline');
    await page.close();
  });
});

describe('a silent job, and the worker holding it', () => {
  it("names the worker's host and pid on the finding, and the dump command to run there", async () => {
    const { page, errors } = await openPage(`/findings/${silentFinding.id}`);
    const subject = await page.locator('section h2:text("Subject") + p').textContent();
    expect(subject).toContain(`host ${hostname()}`);
    expect(subject).toContain(`pid ${process.pid}`);
    expect(await page.locator('#next-step').textContent()).toContain(
      `Run \`npx joblens dump ${process.pid}\` on host ${hostname()}`,
    );
    expect(errors).toEqual([]);
    await page.close();
  });

  it('shows the worker as not healthy on the workers page, with its pid, linking to the finding', async () => {
    const { page, errors } = await openPage('/workers');
    const row = page.locator(`#workers tbody tr[data-worker="${silentFinding.subject.worker}"]`);
    const status = row.locator('td.worker-status');
    expect(await status.textContent()).toBe('job silent');
    expect(await status.getAttribute('class')).toContain('worker-problem');
    expect(await status.locator('a').getAttribute('href')).toBe(`/findings/${silentFinding.id}`);
    expect(await row.locator('td').allTextContents()).toContain(String(process.pid));
    await page.screenshot({ path: join(ARTIFACTS, 'workers-status.png'), fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('serves the pid in the workers API and on the finding', async () => {
    const response = await fetch(`${apiUrl}/api/workers`);
    const { workers } = (await response.json()) as { workers: Array<{ worker: string; pid?: number }> };
    expect(workers.find((w) => w.worker === silentFinding.subject.worker)?.pid).toBe(process.pid);
    const answer = await fetch(`${apiUrl}/api/findings/${silentFinding.id}`);
    const { finding } = (await answer.json()) as { finding: Finding };
    expect(finding.subject).toMatchObject({ host: hostname(), pid: process.pid });
  });
});
