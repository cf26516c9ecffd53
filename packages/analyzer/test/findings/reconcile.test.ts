import { describe, expect, it } from 'vitest';
import type { FindingDraft } from '../../src/detectors/finding-draft.js';
import type { Finding } from '../../src/findings/finding.js';
import { findingId } from '../../src/findings/finding-id.js';
import { reconcile } from '../../src/findings/reconcile.js';

const T0 = 1_700_000_000_000;

function draft(key: string, overrides: Partial<FindingDraft> = {}): FindingDraft {
  return {
    type: 'silent_job',
    key,
    severity: 'warning',
    subject: { service: 'svc', queue: 'q', jobId: key },
    summary: `job ${key} silent`,
    nextStep: 'dump it',
    evidence: { figures: { silenceSeconds: 40 }, traces: [] },
    since: T0 - 40_000,
    ...overrides,
  };
}

describe('reconcile', () => {
  it('opens a finding for a new key, with a stable id and an opening transition', () => {
    const { findings, transitions } = reconcile([], [draft('a')], T0);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ key: 'a', status: 'open', firstSeen: T0, lastSeen: T0 });
    expect(findings[0].id).toBe(findingId('silent_job', 'a', T0));
    expect(findings[0].id).toMatch(/^silent_job-[0-9a-f]{12}$/);
    expect(transitions).toEqual([
      { findingId: findings[0].id, at: T0, from: null, to: 'open', summary: 'job a silent' },
    ]);
  });

  it('updates a finding whose key holds, without a transition', () => {
    const [opened] = reconcile([], [draft('a')], T0).findings;
    const later = draft('a', {
      summary: 'job a silent for longer',
      evidence: { figures: { silenceSeconds: 70 }, traces: [] },
      since: T0,
    });
    const { findings, transitions } = reconcile([opened], [later], T0 + 30_000);
    expect(transitions).toEqual([]);
    expect(findings).toEqual([
      expect.objectContaining({
        id: opened.id,
        status: 'open',
        firstSeen: T0,
        lastSeen: T0 + 30_000,
        summary: 'job a silent for longer',
        since: T0 - 40_000,
        evidence: { figures: { silenceSeconds: 70 }, traces: [] },
      }),
    ]);
  });

  it('resolves an open finding whose key is gone', () => {
    const [opened] = reconcile([], [draft('a')], T0).findings;
    const { findings, transitions } = reconcile([opened], [], T0 + 10_000);
    expect(findings).toEqual([
      expect.objectContaining({ id: opened.id, status: 'resolved', resolvedAt: T0 + 10_000 }),
    ]);
    expect(transitions).toEqual([
      { findingId: opened.id, at: T0 + 10_000, from: 'open', to: 'resolved', summary: 'job a silent' },
    ]);
  });

  it('holds a finding open for resolveAfterSeconds before resolving it', () => {
    const [opened] = reconcile([], [draft('a')], T0).findings;
    expect(reconcile([opened], [], T0 + 20_000, { resolveAfterSeconds: 30 })).toEqual({
      findings: [],
      transitions: [],
    });
    expect(reconcile([opened], [], T0 + 30_000, { resolveAfterSeconds: 30 }).findings[0].status).toBe(
      'resolved',
    );
  });

  it('opens a new finding with a new id when a resolved problem comes back', () => {
    const [opened] = reconcile([], [draft('a')], T0).findings;
    const [resolved] = reconcile([opened], [], T0 + 1_000).findings;
    const { findings, transitions } = reconcile([resolved], [draft('a')], T0 + 5_000);
    expect(findings[0].id).not.toBe(opened.id);
    expect(transitions[0]).toMatchObject({ from: null, to: 'open' });
  });

  it('reopens the same finding when the condition returns within the hold time', () => {
    const holdFiveMinutes = { reopenWithinSeconds: () => 300 };
    const [opened] = reconcile([], [draft('a')], T0, holdFiveMinutes).findings;
    const [resolved] = reconcile([opened], [], T0 + 10_000, holdFiveMinutes).findings;
    const back = reconcile(
      [resolved],
      [draft('a', { summary: 'job a silent again' })],
      T0 + 250_000,
      holdFiveMinutes,
    );
    expect(back.findings).toEqual([
      expect.objectContaining({ id: opened.id, status: 'open', firstSeen: T0, lastSeen: T0 + 250_000 }),
    ]);
    expect(back.findings[0]).not.toHaveProperty('resolvedAt');
    expect(back.transitions).toEqual([
      { findingId: opened.id, at: T0 + 250_000, from: 'resolved', to: 'open', summary: 'job a silent again' },
    ]);
  });

  it('keeps who acknowledged a finding, its snooze and last reminder while the detector updates it', () => {
    const [opened] = reconcile([], [draft('a')], T0).findings;
    const acknowledged = {
      ...opened,
      acknowledgedBy: 'alice',
      acknowledgedAt: T0 + 1000,
      snoozedUntil: T0 + 60_000,
      remindedAt: T0 + 500,
    };
    const [later] = reconcile([acknowledged], [draft('a', { severity: 'critical' })], T0 + 5000).findings;
    expect(later).toMatchObject({
      acknowledgedBy: 'alice',
      acknowledgedAt: T0 + 1000,
      snoozedUntil: T0 + 60_000,
      remindedAt: T0 + 500,
      severity: 'critical',
    });
    const [resolved] = reconcile([later], [], T0 + 9000).findings;
    expect(resolved).toMatchObject({ status: 'resolved', acknowledgedBy: 'alice' });
  });

  it('opens a new finding when the condition returns after the hold time of its type', () => {
    const hold = { reopenWithinSeconds: (type: string) => (type === 'silent_job' ? 300 : 3600) };
    const [opened] = reconcile([], [draft('a')], T0, hold).findings;
    const [resolved] = reconcile([opened], [], T0 + 10_000, hold).findings;
    const back = reconcile([resolved], [draft('a')], T0 + 10_000 + 301_000, hold);
    expect(back.findings[0].id).not.toBe(opened.id);
    expect(back.transitions[0]).toMatchObject({ from: null, to: 'open' });
  });

  it('reopens the latest of several resolved findings of one key', () => {
    const hold = { reopenWithinSeconds: () => 600 };
    const older: Finding = {
      ...draft('a'),
      id: 'old',
      status: 'resolved',
      firstSeen: T0,
      lastSeen: T0,
      resolvedAt: T0,
    };
    const newer: Finding = { ...older, id: 'new', resolvedAt: T0 + 60_000, lastSeen: T0 + 60_000 };
    const back = reconcile([newer, older], [draft('a')], T0 + 120_000, hold);
    expect(back.findings.map((finding) => finding.id)).toEqual(['new']);
  });

  it('updates a finding whose severity changes and records the change as a transition', () => {
    const [opened] = reconcile([], [draft('a')], T0).findings;
    const worse = reconcile(
      [opened],
      [draft('a', { severity: 'critical', summary: 'job a silent 5 min' })],
      T0 + 30_000,
    );
    expect(worse.findings).toEqual([
      expect.objectContaining({ id: opened.id, severity: 'critical', status: 'open' }),
    ]);
    expect(worse.transitions).toEqual([
      {
        findingId: opened.id,
        at: T0 + 30_000,
        from: 'open',
        to: 'open',
        summary: 'severity warning → critical: job a silent 5 min',
      },
    ]);
    expect(
      reconcile([worse.findings[0]], [draft('a', { severity: 'critical' })], T0 + 60_000).transitions,
    ).toEqual([]);
  });

  it('keeps the worst severity while open, so a measure at a threshold does not flap the finding', () => {
    const [opened] = reconcile([], [draft('a', { severity: 'critical' })], T0).findings;
    const calmer = reconcile(
      [opened],
      [draft('a', { severity: 'warning', summary: 'job a silent, less' })],
      T0 + 5_000,
    );
    expect(calmer.transitions).toEqual([]);
    expect(calmer.findings[0]).toMatchObject({
      id: opened.id,
      severity: 'critical',
      summary: 'job a silent, less',
    });
    expect(
      reconcile([calmer.findings[0]], [draft('a', { severity: 'critical' })], T0 + 10_000).transitions,
    ).toEqual([]);
  });

  it('keeps the most severe of two drafts with the same key, and tells types apart', () => {
    const { findings } = reconcile(
      [],
      [draft('a'), draft('a', { severity: 'critical' }), draft('a', { type: 'mystery_gap' })],
      T0,
    );
    expect(findings.map((finding) => [finding.type, finding.severity])).toEqual([
      ['silent_job', 'critical'],
      ['mystery_gap', 'warning'],
    ]);
  });

  it('leaves findings already resolved alone', () => {
    const resolved: Finding = {
      ...draft('z'),
      id: 'silent_job-x',
      status: 'resolved',
      firstSeen: T0,
      lastSeen: T0,
      resolvedAt: T0,
    };
    expect(reconcile([resolved], [], T0 + 1)).toEqual({ findings: [], transitions: [] });
  });
});
