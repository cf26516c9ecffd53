import { execFileSync } from 'node:child_process';
import { ensurePrometheus, type PrometheusBinaries } from '@joblens/test-utils';
import { beforeAll, describe, expect, it } from 'vitest';
import { readRepoYaml, repoPath } from './repo-files.js';

const REQUIRED_ALERTS = [
  'JoblensWorkerSilent',
  'JoblensHeartbeatMonitorDown',
  'JoblensOldestReadyJobTooOld',
  'JoblensRetryStorm',
  'JoblensWorkImbalance',
  'JoblensAlertDeliveryFailed',
];

let bins: PrometheusBinaries;
beforeAll(async () => {
  bins = await ensurePrometheus();
});

/** Runs promtool and returns its output; a failing check throws with promtool's own words. */
function promtool(...args: string[]): string {
  try {
    return execFileSync(bins.promtool, args, { encoding: 'utf8', cwd: repoPath('prometheus') });
  } catch (error) {
    const failed = error as { stdout?: string; stderr?: string };
    throw new Error(`promtool ${args.join(' ')} failed:\n${failed.stdout ?? ''}${failed.stderr ?? ''}`);
  }
}

describe('the Prometheus configuration, checked by promtool 2.42', () => {
  it('accepts the scrape configuration and the rule files it loads', () => {
    expect(promtool('check', 'config', 'prometheus.yml')).toContain('SUCCESS');
  });

  it('accepts the recording and alert rules', () => {
    const output = promtool('check', 'rules', 'rules/joblens-recording.yml', 'rules/joblens-alerts.yml');
    expect(output).not.toContain('FAILED');
    expect(output.match(/SUCCESS/g)).toHaveLength(2);
  });

  it('passes the unit tests of every alert', () => {
    expect(promtool('test', 'rules', 'tests/joblens-alerts.test.yml')).toContain('SUCCESS');
  });

  it('has the alerts the fleet needs, each with a unit test where it fires', () => {
    const alerts = readRepoYaml('prometheus/rules/joblens-alerts.yml')
      .groups.flatMap((group: { rules: { alert?: string }[] }) => group.rules)
      .map((rule: { alert?: string }) => rule.alert)
      .filter(Boolean);
    expect(new Set(alerts)).toEqual(new Set(REQUIRED_ALERTS));
    const firing = new Set<string>();
    for (const test of readRepoYaml('prometheus/tests/joblens-alerts.test.yml').tests) {
      for (const check of test.alert_rule_test ?? []) {
        if (check.exp_alerts?.length > 0) firing.add(check.alertname);
      }
    }
    expect([...firing].sort()).toEqual([...REQUIRED_ALERTS].sort());
  });
});
