import { describe, expect, it } from 'vitest';
import { attributeFinding } from '../src/attribute-finding.js';
import { buildScenario, JOB_NAMES, MONITOR_SLUG, QUEUES } from '../src/scenario.js';
import { makeFinding } from './finding-factory.js';

const scenario = buildScenario('t1');
const faultIds = (finding: Parameters<typeof attributeFinding>[0]) => {
  const attribution = attributeFinding(finding, scenario.faults);
  return attribution.kind === 'false' ? 'false' : `${attribution.kind}:${attribution.fault.id}`;
};

describe('attributeFinding', () => {
  it('attributes a gap in export-report to the silent call', () => {
    const finding = makeFinding({
      type: 'mystery_gap',
      subject: { queue: QUEUES.reports, jobName: JOB_NAMES.exportReport },
    });
    expect(faultIds(finding)).toBe('expected:silent-call');
  });

  it('attributes a blocked loop to the pdf host by its worker id alone', () => {
    const pdfHost = scenario.hosts.find((host) => host.host === 'pdf-1')!;
    const finding = makeFinding({ type: 'event_loop_blocked', subject: { worker: pdfHost.instanceId } });
    expect(faultIds(finding)).toBe('expected:blocked-loop');
  });

  it('attributes the silence of whichever render host held its loop to the lost lock, and no other host', () => {
    for (const host of ['render-1', 'render-2']) {
      const render = scenario.hosts.find((spec) => spec.host === host)!;
      const finding = makeFinding({ type: 'silent_worker', subject: { worker: render.instanceId } });
      expect(faultIds(finding), host).toBe('related:lock-lost');
    }
    const mail = scenario.hosts.find((spec) => spec.host === 'mail-1')!;
    expect(faultIds(makeFinding({ type: 'silent_worker', subject: { worker: mail.instanceId } }))).toBe(
      'false',
    );
  });

  it('attributes a missed heartbeat by its monitor slug', () => {
    const finding = makeFinding({ type: 'missed_heartbeat', subject: { monitor: MONITOR_SLUG } });
    expect(faultIds(finding)).toBe('expected:missed-checkin');
  });

  it('counts the retry ratio of the payments the outage failed as part of the outage', () => {
    const finding = makeFinding({
      type: 'runaway_retries',
      subject: { queue: QUEUES.payments, jobName: JOB_NAMES.capturePayment },
    });
    expect(faultIds(finding)).toBe('related:upstream-outage');
  });

  it('calls any finding about the healthy queues false', () => {
    const finding = makeFinding({
      type: 'mystery_gap',
      subject: { queue: QUEUES.emails, jobName: JOB_NAMES.sendEmail },
    });
    expect(faultIds(finding)).toBe('false');
  });

  it('calls a finding of the wrong type on a faulty queue false', () => {
    const finding = makeFinding({
      type: 'silent_job',
      subject: { queue: QUEUES.reports, jobName: JOB_NAMES.exportReport },
    });
    expect(faultIds(finding)).toBe('false');
  });

  it('calls a finding false when one named field disagrees even if another agrees', () => {
    const finding = makeFinding({
      type: 'mystery_gap',
      subject: { queue: QUEUES.reports, jobName: JOB_NAMES.sendEmail },
    });
    expect(faultIds(finding)).toBe('false');
  });

  it('calls a finding that names nothing the fault names false', () => {
    const finding = makeFinding({ type: 'host_imbalance', subject: { host: 'billing-1' } });
    expect(faultIds(finding)).toBe('false');
  });
});
