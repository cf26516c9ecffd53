import { describe, expect, it } from 'vitest';
import { buildScenario, selectFaults } from '../src/scenario.js';

const scenario = buildScenario('t3');
const hostsOf = (ids: string[]) => selectFaults(scenario, ids).hosts.map((host) => host.host);

describe('selectFaults', () => {
  it('keeps the healthy hosts and the host the chosen faults live on', () => {
    expect(hostsOf(['silent-call', 'hung-job'])).toEqual(['mail-1', 'mail-2', 'reports-1']);
  });

  it('keeps every host of a queue-wide fault', () => {
    expect(hostsOf(['busy-host'])).toEqual(['mail-1', 'mail-2', 'billing-1', 'billing-2', 'billing-3']);
  });

  it('keeps the host that runs the monitored cron job', () => {
    expect(hostsOf(['missed-checkin'])).toEqual(['mail-1', 'mail-2', 'sync-1']);
  });

  it('keeps only the chosen faults', () => {
    expect(selectFaults(scenario, ['blocked-loop']).faults.map((fault) => fault.id)).toEqual([
      'blocked-loop',
    ]);
  });

  it('names a fault it does not know', () => {
    expect(() => selectFaults(scenario, ['silent-call', 'no-such-fault'])).toThrow(
      /'no-such-fault'.*the faults are busy-host/,
    );
  });
});
