import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type AnalyzerHandle, createAnalyzer } from '../../src/analyzer.js';
import type { MonitorDetailBody } from './monitor-factories.js';

let dataDir: string;
let running: AnalyzerHandle[];

beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'joblens-monitor-restart-'));
  running = [];
});

afterEach(async () => {
  for (const analyzer of running) await analyzer.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

async function startAnalyzer(clock: () => number) {
  const analyzer = createAnalyzer(
    { port: 0, otlpPort: 0, dataDir, monitors: [{ slug: 'nightly', cron: '*/5 * * * *', graceSeconds: 60 }] },
    { clock },
  );
  running.push(analyzer);
  const { apiUrl } = await analyzer.start();
  return { analyzer, apiUrl };
}

describe('monitors across an analyzer restart', () => {
  it('re-derives the state from SQLite and stamps a deadline passed while stopped at the deadline', async () => {
    let now = Date.parse('2026-06-01T12:00:00Z');
    const first = await startAnalyzer(() => now);
    expect((await fetch(`${first.apiUrl}/ping/nightly`)).status).toBe(200);
    await first.analyzer.stop();

    // The analyzer was down from 12:00 to 12:30; the 12:05 check-in never came (down at 12:06:00).
    now = Date.parse('2026-06-01T12:30:00Z');
    const second = await startAnalyzer(() => now);
    const body = (await (await fetch(`${second.apiUrl}/api/monitors/nightly`)).json()) as MonitorDetailBody;
    expect(body.monitor.state).toBe('down');
    expect(new Date(body.monitor.stateSinceMs).toISOString()).toBe('2026-06-01T12:06:00.000Z');
    expect(body.transitions.map((t) => [t.to, new Date(t.atMs).toISOString()])).toEqual([
      ['up', '2026-06-01T12:00:00.000Z'],
      ['grace', '2026-06-01T12:05:00.000Z'],
      ['down', '2026-06-01T12:06:00.000Z'],
    ]);
    expect(body.pings.map((p) => [p.type, p.source])).toEqual([['success', 'http']]);
  });
});
