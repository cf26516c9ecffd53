import { describe, expect, it } from 'vitest';
import { evaluateMonitor } from '../../src/monitors/evaluate-monitor.js';
import { nextScheduleTime } from '../../src/monitors/next-schedule-time.js';
import { makeDefinition } from './monitor-factories.js';

const berlinDaily = { kind: 'cron', cron: '30 2 * * *', timeZone: 'Europe/Berlin' } as const;
const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());

describe('nextScheduleTime', () => {
  it('is strictly after the last check-in', () => {
    const schedule = { kind: 'cron', cron: '*/5 * * * *', timeZone: 'UTC' } as const;
    expect(iso(nextScheduleTime(schedule, Date.parse('2026-06-01T12:00:00Z')))).toBe(
      '2026-06-01T12:05:00.000Z',
    );
    expect(iso(nextScheduleTime(schedule, Date.parse('2026-06-01T12:04:59.999Z')))).toBe(
      '2026-06-01T12:05:00.000Z',
    );
  });

  it('reads six fields with seconds first', () => {
    const schedule = { kind: 'cron', cron: '*/10 * * * * *', timeZone: 'UTC' } as const;
    expect(iso(nextScheduleTime(schedule, Date.parse('2026-06-01T12:00:00.500Z')))).toBe(
      '2026-06-01T12:00:10.000Z',
    );
  });

  it('adds the period for a period schedule', () => {
    expect(nextScheduleTime({ kind: 'period', periodSeconds: 90 }, 1_000)).toBe(91_000);
  });

  it('reads local times in the time zone (02:30 in Berlin is 00:30 UTC in summer, 01:30 in winter)', () => {
    expect(iso(nextScheduleTime(berlinDaily, Date.parse('2026-07-01T12:00:00Z')))).toBe(
      '2026-07-02T00:30:00.000Z',
    );
    expect(iso(nextScheduleTime(berlinDaily, Date.parse('2026-01-10T12:00:00Z')))).toBe(
      '2026-01-11T01:30:00.000Z',
    );
  });

  it('fires the missing 02:30 on the March change an hour later, at 03:30 summer time', () => {
    // 2026-03-29: clocks go from 02:00 CET to 03:00 CEST, so 02:30 does not exist that night.
    const times = [Date.parse('2026-03-28T01:30:00Z')];
    for (let i = 0; i < 2; i++) times.push(nextScheduleTime(berlinDaily, times[times.length - 1]) as number);
    expect(times.map(iso)).toEqual([
      '2026-03-28T01:30:00.000Z',
      '2026-03-29T01:30:00.000Z',
      '2026-03-30T00:30:00.000Z',
    ]);
  });

  it('fires the doubled 02:30 on the October change once, at its second occurrence', () => {
    // 2026-10-25: clocks go from 03:00 CEST back to 02:00 CET, so 02:30 happens at 00:30 and 01:30 UTC.
    const times = [Date.parse('2026-10-24T00:30:00Z')];
    for (let i = 0; i < 2; i++) times.push(nextScheduleTime(berlinDaily, times[times.length - 1]) as number);
    expect(times.map(iso)).toEqual([
      '2026-10-24T00:30:00.000Z',
      '2026-10-25T01:30:00.000Z',
      '2026-10-26T01:30:00.000Z',
    ]);
  });
});

describe('a daily 02:30 Europe/Berlin monitor across daylight-saving changes', () => {
  const definition = makeDefinition({ schedule: berlinDaily, graceSeconds: 600 });

  it('gives a job that ran at 02:30 the night before until 03:40 summer time on the March change', () => {
    const lastRun = Date.parse('2026-03-28T01:30:00Z');
    const events = [{ type: 'success' as const, atMs: lastRun }];
    expect(evaluateMonitor(definition, { events }, Date.parse('2026-03-29T01:39:59Z')).state).toBe('grace');
    const evaluation = evaluateMonitor(definition, { events }, Date.parse('2026-03-29T06:00:00Z'));
    expect(evaluation.state).toBe('down');
    expect(iso(evaluation.stateSinceMs)).toBe('2026-03-29T01:40:00.000Z');
  });

  it('does not expect a second run in the repeated hour on the October change', () => {
    // The job ran at the first 02:30 (CEST, as cron daemons do); croner does not expect it again at the
    // second 02:30 (CET) an hour later, but the next night.
    const events = [{ type: 'success' as const, atMs: Date.parse('2026-10-25T00:30:00Z') }];
    const evaluation = evaluateMonitor(definition, { events }, Date.parse('2026-10-25T02:00:00Z'));
    expect(evaluation.state).toBe('up');
    expect(iso(evaluation.nextExpectedMs)).toBe('2026-10-26T01:30:00.000Z');
    expect(iso(evaluation.downAtMs)).toBe('2026-10-26T01:40:00.000Z');
  });
});
