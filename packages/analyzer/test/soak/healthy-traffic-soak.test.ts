import { describe, expect, it } from 'vitest';
import type { Finding } from '../../src/findings/finding.js';
import { type DrivenRun, driveAnalyzer } from './drive-analyzer.js';
import { type FleetFacts, fleetFacts } from './fleet-facts.js';
import { CRON_MONITOR, type FleetOptions, simulateHealthyFleet } from './healthy-fleet.js';
import { type InjectedFault, injectFaults } from './injected-faults.js';
import { SeededRandom, Timeline } from './timeline.js';

const T0 = 1_700_000_000_000;
const HALF_HOUR_MS = 30 * 60_000;
/** The analyzer's loop runs every second; every 5 s of simulated time finds the same, five times cheaper. */
const EVALUATE_EVERY_MS = 5_000;
/**
 * With default thresholds the slowest to show is a stuck worker: 60 s without a completion while jobs
 * wait (measured: 75 s; the others 10-45 s). The demo's thresholds are seconds, not minutes.
 */
const MAX_DETECTION_MS = 90_000;

interface Soaked {
  findings: Finding[];
  faults: InjectedFault[];
  run: DrivenRun;
  facts: FleetFacts;
}

/** Half an hour of the fleet, with or without the demo's faults, through a real analyzer. */
async function soak(withFaults: boolean): Promise<Soaked> {
  const timeline = new Timeline(T0 + HALF_HOUR_MS);
  const fleet: FleetOptions = {};
  const faults = withFaults ? injectFaults(timeline, new SeededRandom(11), T0, fleet) : [];
  simulateHealthyFleet(timeline, new SeededRandom(7), T0, fleet);
  const deliveries = timeline.inArrivalOrder();
  const run = await driveAnalyzer(deliveries, {
    startMs: T0,
    endMs: T0 + HALF_HOUR_MS,
    evaluateEveryMs: EVALUATE_EVERY_MS,
    monitors: [CRON_MONITOR],
  });
  return { findings: run.findings, faults, run, facts: fleetFacts(deliveries) };
}

function describeFinding(finding: Finding): string {
  return `${finding.type} ${finding.key} (${finding.severity}): ${finding.summary}`;
}

function about(finding: Finding, fault: InjectedFault): boolean {
  return Object.entries(fault.subject).every(
    ([field, value]) => finding.subject[field as keyof Finding['subject']] === value,
  );
}

describe('half an hour of a healthy, bursty fleet', () => {
  it('raises no finding: deploys, autoscaling, a minutely cron, long and slow jobs, idle workers, retries', async () => {
    const { findings, run, facts } = await soak(false);
    expect(findings.map(describeFinding)).toEqual([]);
    expect(run.evaluations).toBe(HALF_HOUR_MS / EVALUATE_EVERY_MS);
    // The quiet is not for lack of traffic: 8 workers restarted twice, 3 scaled down, 30 cron runs that
    // each stopped; thousands of attempts, reports of minutes, retries that succeeded.
    expect(facts.stopRecords).toBe(8 + 3 + 30);
    expect(facts.cronRuns).toBe(30);
    expect(facts.workers).toBeGreaterThan(45);
    expect(facts.attempts).toBeGreaterThan(2_000);
    expect(facts.secondAttemptsCompleted).toBeGreaterThan(20);
    expect(facts.attemptsOverTwoMinutes).toBeGreaterThan(5);
    expect(facts.stillRunningRecords).toBeGreaterThan(200);
  }, 120_000);

  it('raises exactly one finding per injected fault, each found within 90 s of its injection', async () => {
    const { findings, faults } = await soak(true);
    const unexplained = findings.filter(
      (finding) =>
        !faults.some(
          (fault) =>
            about(finding, fault) &&
            (finding.type === fault.type || fault.relatedTypes.includes(finding.type)),
        ),
    );
    expect(unexplained.map(describeFinding)).toEqual([]);
    for (const fault of faults) {
      const found = findings.filter((finding) => finding.type === fault.type && about(finding, fault));
      expect(found.map(describeFinding), fault.id).toHaveLength(1);
      expect(found[0].firstSeen - fault.injectedAtMs, fault.id).toBeLessThanOrEqual(MAX_DETECTION_MS);
      // A related finding is the same fault from another side: once at most, not once per flap.
      for (const type of fault.relatedTypes) {
        const related = findings.filter((finding) => finding.type === type && about(finding, fault));
        expect(related.length, `${fault.id} ${type}`).toBeLessThanOrEqual(1);
      }
    }
  }, 120_000);
});
