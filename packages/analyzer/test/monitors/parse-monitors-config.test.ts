import { describe, expect, it } from 'vitest';
import { parseMonitorsConfig } from '../../src/monitors/parse-monitors-config.js';

describe('parseMonitorsConfig', () => {
  it('reads a list of definitions and fills their defaults', () => {
    const config = parseMonitorsConfig([{ slug: 'backup', cron: '30 2 * * *', timeZone: 'Europe/Berlin' }]);
    expect(config.autoCreate).toBe(false);
    expect(config.definitions[0]).toEqual({
      slug: 'backup',
      name: 'backup',
      schedule: { kind: 'cron', cron: '30 2 * * *', timeZone: 'Europe/Berlin' },
      graceSeconds: 3600,
      failureThreshold: 1,
      maintenanceWindows: [],
    });
  });

  it('reads the object form with auto-create and maintenance windows', () => {
    const config = parseMonitorsConfig({
      autoCreate: true,
      definitions: [
        {
          slug: 'etl',
          periodSeconds: 600,
          maintenanceWindows: [
            { cron: '0 3 * * 0', durationSeconds: 3600 },
            { startsAt: '2026-12-24T00:00:00Z', endsAt: '2026-12-27T00:00:00Z' },
          ],
        },
      ],
    });
    expect(config.autoCreate).toBe(true);
    expect(config.definitions[0].maintenanceWindows).toEqual([
      { kind: 'recurring', cron: '0 3 * * 0', timeZone: 'UTC', durationSeconds: 3600 },
      {
        kind: 'fixed',
        startsAtMs: Date.parse('2026-12-24T00:00:00Z'),
        endsAtMs: Date.parse('2026-12-27T00:00:00Z'),
      },
    ]);
  });

  it('names the field, the expectation and the value in each error', () => {
    const cases: Array<[unknown, string]> = [
      ['every day', 'monitors must be a list of monitor definitions or an object, got "every day"'],
      [[{ slug: 'a' }], 'monitors[0] must be a definition with exactly one of periodSeconds or cron'],
      [
        [
          { slug: 'a', periodSeconds: 60 },
          { slug: 'a', periodSeconds: 60 },
        ],
        'monitors[1].slug must be unique',
      ],
      [
        [{ slug: 'a', cron: '* * *' }],
        'monitors[0].cron must be a cron expression of 5 fields (or 6 with seconds first), got "* * *"',
      ],
      [
        [{ slug: 'a', periodSeconds: 60, failureThreshold: 1.5 }],
        'monitors[0].failureThreshold must be a positive integer, got 1.5',
      ],
      [[{ slug: 'a', cron: '0 0 30 2 *' }], 'monitors[0].cron must be a cron expression that fires again'],
      [{ autoCreate: 'yes' }, 'monitors.autoCreate must be true or false, got "yes"'],
      [
        { definitions: [{ slug: 'a', periodSeconds: 1, maintenanceWindows: [{ startsAt: 'x' }] }] },
        'monitors.definitions[0].maintenanceWindows[0].startsAt',
      ],
      [{ autocreate: true }, 'monitors.autocreate is not a known option'],
    ];
    for (const [value, message] of cases)
      expect(() => parseMonitorsConfig(value), JSON.stringify(value)).toThrow(message);
  });
});
