import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Joblens, startJoblens } from '@joblens/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AnalyzerHandle, type AnalyzerUrls, createAnalyzer } from '../../src/analyzer.js';
import type { MonitorDetailBody } from './monitor-factories.js';

// The done-criterion: a 2-second monitor fed by real pings and a real instrumented job goes
// down and back up on time against a live analyzer.
const PERIOD_MS = 2000;
const GRACE_MS = 1000;
/** Deadlines are stamped exactly; noticing them (the unref'd timer, the API poll) may take this long. */
const NOTICE_TOLERANCE_MS = 1500;

let analyzer: AnalyzerHandle;
let urls: AnalyzerUrls;
let joblens: Joblens;
let webhook: Server;
const alerts: Array<{ text: string }> = [];

async function monitor(): Promise<MonitorDetailBody> {
  return (await (await fetch(`${urls.apiUrl}/api/monitors/heartbeat`)).json()) as never;
}

async function waitForState(state: string, timeoutMs: number): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { monitor: m } = await monitor();
    if (m.state === state) return Date.now();
    if (Date.now() > deadline) throw new Error(`the monitor stayed ${m.state}, never ${state}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

beforeAll(async () => {
  webhook = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      alerts.push(JSON.parse(body));
      res.end('ok');
    });
  });
  await new Promise<void>((resolve) => webhook.listen(0, '127.0.0.1', resolve));
  analyzer = createAnalyzer({
    port: 0,
    otlpPort: 0,
    dataDir: ':memory:',
    alertWebhookUrl: `http://127.0.0.1:${(webhook.address() as AddressInfo).port}/hook`,
    monitors: [
      {
        slug: 'heartbeat',
        periodSeconds: PERIOD_MS / 1000,
        graceSeconds: GRACE_MS / 1000,
        service: 'live-svc',
        jobName: 'tick',
      },
    ],
  });
  urls = await analyzer.start();
  joblens = startJoblens({
    serviceName: 'live-svc',
    endpoint: urls.otlpUrl,
    flushOnSignals: false,
    dumpSignal: false,
    watchdog: { enabled: false },
  });
});

afterAll(async () => {
  await joblens?.shutdown();
  await analyzer?.stop();
  await new Promise((resolve) => webhook?.close(resolve));
});

describe('a 2-second heartbeat monitor on a live analyzer', () => {
  it('goes down at check-in + period + grace and back up when an instrumented job completes', async () => {
    expect((await fetch(`${urls.apiUrl}/ping/heartbeat`)).status).toBe(200);
    const { monitor: afterPing } = await monitor();
    expect(afterPing.state).toBe('up');
    const checkIn = afterPing.lastCheckInMs as number;
    expect(afterPing.nextDeadlineMs).toBe(checkIn + PERIOD_MS + GRACE_MS);

    const noticedDown = await waitForState('down', PERIOD_MS + GRACE_MS + 3000);
    expect(noticedDown - (checkIn + PERIOD_MS + GRACE_MS)).toBeLessThan(NOTICE_TOLERANCE_MS);
    const down = (await monitor()).transitions.filter((t) => t.to === 'down');
    expect(down).toHaveLength(1);
    expect(down[0].atMs).toBe(checkIn + PERIOD_MS + GRACE_MS);
    expect((await monitor()).transitions.find((t) => t.to === 'grace')?.atMs).toBe(checkIn + PERIOD_MS);

    // A real job through the SDK: its span reaches the analyzer's OTLP port and checks in by job name.
    await joblens.runAttempt({ queue: 'ticks', jobName: 'tick', jobId: 'tick-1' }, async () => {
      await new Promise((resolve) => setTimeout(resolve, 50));
    });
    await joblens.forceFlush();
    await waitForState('up', 5000);
    const up = (await monitor()).transitions.at(-1);
    expect(up).toMatchObject({ from: 'down', to: 'up', reason: 'success' });
    const { monitor: afterJob } = await monitor();
    expect(afterJob.nextDeadlineMs).toBe((afterJob.lastCheckInMs as number) + PERIOD_MS + GRACE_MS);

    // Silence again: down once more, on time.
    const noticedSecondDown = await waitForState('down', PERIOD_MS + GRACE_MS + 3000);
    expect(noticedSecondDown - (afterJob.nextDeadlineMs as number)).toBeLessThan(NOTICE_TOLERANCE_MS);
    expect((await monitor()).transitions.at(-1)).toMatchObject({ to: 'down', atMs: afterJob.nextDeadlineMs });

    const metrics = await (await fetch(`${urls.apiUrl}/metrics`)).text();
    expect(metrics).toContain('joblens_monitor_state{monitor="heartbeat",state="down"} 1');
    expect(metrics).toContain('joblens_monitor_last_checkin_timestamp_seconds{monitor="heartbeat"}');

    const page = await (await fetch(`${urls.apiUrl}/monitors`)).text();
    expect(page).toContain('<code>heartbeat</code>');
    expect(page).toContain('state-down');

    // The detectors' runner turned the monitor's state into a finding.
    await analyzer.evaluateNow();
    type Listed = Array<{ subject: { monitor?: string }; status: string }>;
    const findings = (await (await fetch(`${urls.apiUrl}/api/findings?type=missed_heartbeat`)).json()) as
      | Listed
      | { findings: Listed };
    const list = Array.isArray(findings) ? findings : findings.findings;
    expect(list.map((f) => [f.subject.monitor, f.status])).toContainEqual(['heartbeat', 'open']);

    // Down, up and down again went to the webhook.
    const deadline = Date.now() + 3000;
    while (alerts.filter((a) => a.text.includes('monitor heartbeat')).length < 3 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(
      alerts.filter((a) => a.text.includes('monitor heartbeat')).map((a) => a.text.split(' ')[0]),
    ).toEqual(['[CRITICAL]', '[INFO]', '[CRITICAL]']);
  });
});
