import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeAttemptSpan, makeJobLog, makeResource } from '@joblens/test-utils';
import { Registry } from 'prom-client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MemoryLogger } from '../../src/log/logger.js';
import type { MonitorTransition } from '../../src/monitors/evaluate-monitor.js';
import { createMonitorDetectors } from '../../src/monitors/monitor-findings.js';
import { registerMonitorMetrics } from '../../src/monitors/monitor-metrics.js';
import { MonitorService } from '../../src/monitors/monitor-service.js';
import { SqliteMonitorStore } from '../../src/monitors/sqlite-monitor-store.js';
import { openDatabase, type SqliteDatabase } from '../../src/store/open-database.js';
import { feedTelemetry } from './feed-telemetry.js';

let dataDir: string;
let databases: SqliteDatabase[];
let services: MonitorService[];
let clock: number;

beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'joblens-monitors-'));
  databases = [];
  services = [];
  clock = Date.parse('2026-06-01T12:00:00Z');
});

afterEach(async () => {
  for (const service of services) await service.stop();
  for (const db of databases) if (db.open) db.close();
  rmSync(dataDir, { recursive: true, force: true });
});

async function startService(
  config: unknown,
  onTransition?: (slug: string, t: MonitorTransition) => void,
  logger = new MemoryLogger(),
) {
  const db = openDatabase(dataDir);
  databases.push(db);
  const service = new MonitorService({
    store: new SqliteMonitorStore(db),
    config,
    now: () => clock,
    onTransition: onTransition && ((monitor, t) => onTransition(monitor.slug, t)),
    logger,
  });
  services.push(service);
  await service.start();
  return { service, db };
}

const backup = {
  slug: 'backup',
  periodSeconds: 60,
  graceSeconds: 30,
  service: 'billing',
  jobName: 'nightly-backup',
};

describe('MonitorService', () => {
  it('stamps a deadline that passed while the analyzer was stopped at the deadline, after a restart', async () => {
    const first = await startService([backup]);
    await first.service.record('backup', { type: 'success', atMs: clock }, { source: 'http' });
    await first.service.stop();
    first.db.close();

    clock += 10 * 60_000; // ten minutes later: the check-in was due at 12:01:00, down at 12:01:30
    const seen: MonitorTransition[] = [];
    const second = await startService([backup], (_slug, t) => seen.push(t));
    const status = await second.service.status('backup');
    expect(status?.evaluation.state).toBe('down');
    expect(seen.map((t) => [t.to, new Date(t.atMs).toISOString()])).toEqual([
      ['grace', '2026-06-01T12:01:00.000Z'],
      ['down', '2026-06-01T12:01:30.000Z'],
    ]);
    expect((await second.service.transitions('backup')).map((t) => t.to)).toEqual(['up', 'grace', 'down']);
  });

  it('pairs a job started log record with its attempt span through the span id', async () => {
    const { service } = await startService([backup]);
    const resource = makeResource({ service: 'billing' });
    const span = makeAttemptSpan({
      resource,
      jobName: 'nightly-backup',
      startMs: clock,
      durationMs: 20_000,
      outcome: 'completed',
    });
    await feedTelemetry(service, { logs: [makeJobLog({ kind: 'started', attempt: span, timeMs: clock })] });
    expect((await service.status('backup'))?.evaluation.state).toBe('running');
    expect((await service.status('backup'))?.evaluation.openRuns.map((r) => r.runId)).toEqual([span.spanId]);
    clock += 20_000;
    await feedTelemetry(service, { spans: [span] });
    expect((await service.status('backup'))?.evaluation.state).toBe('up');
    expect((await service.status('backup'))?.evaluation.openRuns).toEqual([]);
  });

  it('matches a job by its monitor slug attribute and ignores other services’ jobs of the same name', async () => {
    const { service } = await startService([backup]);
    const other = makeAttemptSpan({
      resource: makeResource({ service: 'shop' }),
      jobName: 'nightly-backup',
      startMs: clock,
      outcome: 'failed',
    });
    await feedTelemetry(service, { spans: [other] });
    expect((await service.status('backup'))?.evaluation.state).toBe('new');
    const bySlug = makeAttemptSpan({
      jobName: 'anything',
      startMs: clock,
      outcome: 'failed',
      attributes: { 'joblens.monitor.slug': 'backup' },
    });
    await feedTelemetry(service, { spans: [bySlug] });
    expect((await service.status('backup'))?.evaluation.state).toBe('down');
  });

  it('treats a scheduled retry as no verdict and the exhausted last attempt as a failure', async () => {
    const { service } = await startService([backup]);
    const resource = makeResource({ service: 'billing' });
    const first = makeAttemptSpan({
      resource,
      jobName: 'nightly-backup',
      startMs: clock,
      outcome: 'retry_scheduled',
      maxAttempts: 2,
    });
    await feedTelemetry(service, { logs: [makeJobLog({ kind: 'started', attempt: first, timeMs: clock })] });
    clock += 1000;
    await feedTelemetry(service, { spans: [first] });
    expect((await service.status('backup'))?.evaluation.state).toBe('up');
    const last = makeAttemptSpan({
      resource,
      jobName: 'nightly-backup',
      attempt: 2,
      startMs: clock,
      outcome: 'exhausted',
      maxAttempts: 2,
    });
    clock += 1000;
    await feedTelemetry(service, { spans: [last] });
    expect((await service.status('backup'))?.evaluation.state).toBe('down');
  });

  it('brings config monitors in, keeps API monitors and drops config monitors removed from the config', async () => {
    const first = await startService([backup, { slug: 'old', periodSeconds: 10 }]);
    await first.service.put(
      { ...first.service.definition('backup')!, slug: 'from-api', name: 'from-api' },
      'api',
    );
    await first.service.stop();
    const second = await startService([backup]);
    expect((await second.service.list()).map((s) => [s.definition.slug, s.origin])).toEqual([
      ['backup', 'config'],
      ['from-api', 'api'],
    ]);
  });

  it('refuses signals for unknown slugs unless auto-create is on, then uses the default period', async () => {
    const off = await startService([]);
    expect(await off.service.record('fresh', { type: 'success', atMs: clock }, { source: 'http' })).toEqual({
      ok: false,
      reason: 'unknown_monitor',
    });
    await off.service.stop();
    const on = await startService({ autoCreate: true, autoCreatePeriodSeconds: 120 });
    expect(await on.service.record('fresh', { type: 'success', atMs: clock }, { source: 'http' })).toEqual({
      ok: true,
      created: true,
    });
    const status = await on.service.status('fresh');
    expect(status?.definition.schedule).toEqual({ kind: 'period', periodSeconds: 120 });
    expect(status?.evaluation.nextExpectedMs).toBe(clock + 120_000);
  });

  it('drops the bodies of all but the newest pings, so history stays small', async () => {
    const { service } = await startService([backup]);
    for (let i = 0; i < 100; i++) {
      clock += 1000;
      await service.record('backup', { type: 'success', atMs: clock }, { source: 'http', body: `log ${i}` });
    }
    const pings = await service.pings('backup', 1000);
    expect(pings).toHaveLength(100);
    const bodies = pings.filter((p) => p.body !== undefined).map((p) => p.body);
    // Pruning runs every 100th write, so between prunes a few more than 50 may be kept.
    expect(bodies.length).toBeGreaterThanOrEqual(50);
    expect(bodies.length).toBeLessThan(60);
    expect(bodies.at(-1)).toBe('log 99');
    expect(bodies).not.toContain('log 0');
  });

  it('wakes itself at the next deadline and stamps the change at it', async () => {
    const db = openDatabase(dataDir);
    databases.push(db);
    const transitions: MonitorTransition[] = [];
    const service = new MonitorService({
      store: new SqliteMonitorStore(db),
      config: [{ slug: 'quick', periodSeconds: 0.2, graceSeconds: 0.1 }],
      onTransition: (_m, t) => transitions.push(t),
    });
    services.push(service);
    await service.start();
    const checkedInAt = Date.now();
    await service.record('quick', { type: 'success', atMs: checkedInAt }, { source: 'http' });
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(transitions.map((t) => t.to)).toEqual(['up', 'grace', 'down']);
    expect(transitions[2].atMs).toBe(checkedInAt + 300);
  });

  it('reports down monitors as findings: late ones as missed_heartbeat, overlong runs as runaway_job', async () => {
    const { service } = await startService([
      backup,
      { slug: 'etl', periodSeconds: 600, maxRuntimeSeconds: 60 },
    ]);
    await service.record('backup', { type: 'success', atMs: clock }, { source: 'http' });
    await service.record('etl', { type: 'start', atMs: clock, runId: 'r1' }, { source: 'http' });
    clock += 5 * 60_000;
    const drafts = createMonitorDetectors(service).flatMap((d) => d.configure().evaluate({} as never, clock));
    expect(drafts.map((d) => [d.type, d.subject.monitor, new Date(d.since).toISOString()])).toEqual([
      ['missed_heartbeat', 'backup', '2026-06-01T12:01:30.000Z'],
      ['runaway_job', 'etl', '2026-06-01T12:01:00.000Z'],
    ]);
  });

  it('warns once while its store fails, however often the timer tries, and carries on once it works', async () => {
    const logger = new MemoryLogger();
    const { service, db } = await startService([backup], undefined, logger);
    await service.record('backup', { type: 'success', atMs: clock }, { source: 'http' });
    clock += 2 * 60_000;
    db.close();
    for (let i = 0; i < 3; i++) await service.tick();
    await new Promise((resolve) => setImmediate(resolve));
    expect(logger.lines.map((line) => line.text.split(':')[0])).toEqual(['evaluating monitor backup']);
    const reopened = await startService([backup]);
    expect((await reopened.service.status('backup'))?.evaluation.state).toBe('down');
  });

  it('exposes the state and last check-in of each monitor as Prometheus gauges', async () => {
    const { service } = await startService([backup]);
    await service.record('backup', { type: 'success', atMs: clock }, { source: 'http' });
    const registry = new Registry();
    registerMonitorMetrics(registry, service);
    const text = await registry.metrics();
    expect(text).toContain('joblens_monitor_state{monitor="backup",state="up"} 1');
    expect(text).toContain(
      `joblens_monitor_last_checkin_timestamp_seconds{monitor="backup"} ${clock / 1000}`,
    );
    clock += 45_000 + 60_000;
    expect(await registry.metrics()).toContain('joblens_monitor_state{monitor="backup",state="down"} 1');
  });
});
