import { describe, expect, it } from 'vitest';
import { FaultLedger } from '../src/fault-ledger.js';
import { formatSummary } from '../src/format-summary.js';
import { buildScenario, JOB_NAMES, QUEUES } from '../src/scenario.js';
import { makeFinding } from './finding-factory.js';

const scenario = buildScenario('t2');
const gapSubject = { queue: QUEUES.reports, jobName: JOB_NAMES.exportReport };

describe('FaultLedger', () => {
  it('measures detection latency from the injection to the finding first opening', () => {
    const ledger = new FaultLedger(scenario.faults);
    ledger.markInjected('silent-call', 10_000);
    const entry = ledger.record(makeFinding({ subject: gapSubject, firstSeen: 17_500 }), 18_000);
    expect(entry).toMatchObject({ kind: 'expected', first: true, latencySeconds: 7.5 });
    expect(ledger.rows().find((row) => row.fault.id === 'silent-call')?.detection?.latencySeconds).toBe(7.5);
  });

  it('records each finding once', () => {
    const ledger = new FaultLedger(scenario.faults);
    ledger.markInjected('silent-call', 10_000);
    const finding = makeFinding({ subject: gapSubject, firstSeen: 12_000 });
    expect(ledger.record(finding, 12_000)).toBeDefined();
    expect(ledger.record(finding, 13_000)).toBeUndefined();
  });

  it('tells a change of severity of a finding it recorded, once per change', () => {
    const ledger = new FaultLedger(scenario.faults);
    ledger.markInjected('silent-call', 10_000);
    const finding = makeFinding({ subject: gapSubject, firstSeen: 12_000, severity: 'warning' });
    ledger.record(finding, 12_000);
    expect(ledger.severityChange(finding)).toBeUndefined();
    const worse = { ...finding, severity: 'critical' };
    expect(ledger.record(worse, 20_000)).toBeUndefined();
    expect(ledger.severityChange(worse)).toBe('warning');
    expect(ledger.severityChange(worse)).toBeUndefined();
    expect(ledger.severityChange(makeFinding({ severity: 'critical' }))).toBeUndefined();
  });

  it('calls a finding that opened before its fault was injected false', () => {
    const ledger = new FaultLedger(scenario.faults);
    ledger.markInjected('silent-call', 10_000);
    const entry = ledger.record(makeFinding({ subject: gapSubject, firstSeen: 5_000 }), 5_000);
    expect(entry?.kind).toBe('false');
    expect(ledger.falseFindings()).toHaveLength(1);
    expect(ledger.lastFalseFindingAtMs()).toBe(5_000);
  });

  it('is done only when every fault has its finding', () => {
    const ledger = new FaultLedger(scenario.faults.slice(0, 2));
    for (const fault of scenario.faults.slice(0, 2)) ledger.markInjected(fault.id, 0);
    ledger.record(
      makeFinding({ type: 'host_imbalance', subject: { queue: QUEUES.invoices }, firstSeen: 1000 }),
      1000,
    );
    expect(ledger.allFound()).toBe(false);
    ledger.record(makeFinding({ subject: gapSubject, firstSeen: 2000 }), 2000);
    expect(ledger.allFound()).toBe(true);
  });

  it('summarizes faults against findings with their latency and lists false findings', () => {
    const ledger = new FaultLedger(scenario.faults);
    ledger.markInjected('silent-call', 0);
    ledger.markInjected('hung-job', 0);
    const gap = makeFinding({ subject: gapSubject, firstSeen: 4200 });
    ledger.record(gap, 4200);
    ledger.record(
      makeFinding({ type: 'silent_job', subject: { queue: QUEUES.emails }, firstSeen: 5000 }),
      5000,
    );
    const text = formatSummary(ledger).join('\n');
    expect(text).toMatch(new RegExp(`silent-call\\s+mystery_gap\\s+FOUND\\s+4\\.2 s\\s+${gap.id}`));
    expect(text).toMatch(/hung-job\s+silent_job\s+MISSED/);
    expect(text).toMatch(/poison-job\s+runaway_retries\s+NOT INJECTED/);
    expect(text).toContain('1 false finding(s)');
  });
});
