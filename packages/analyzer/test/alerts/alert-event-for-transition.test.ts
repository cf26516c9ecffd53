import { describe, expect, it } from 'vitest';
import { alertEventForTransition } from '../../src/alerts/alert-event-for-transition.js';
import type { FindingTransition } from '../../src/findings/finding.js';
import { makeFinding } from '../store/make-finding.js';

const finding = makeFinding();
const at = finding.firstSeen + 60_000;
const transition = (from: FindingTransition['from'], to: FindingTransition['to']): FindingTransition => ({
  findingId: finding.id,
  at,
  from,
  to,
  summary: 'why',
});

describe('the alert event of a finding transition', () => {
  it.each([
    [null, 'open', 'opened'],
    ['open', 'open', 'raised'],
    ['open', 'resolved', 'resolved'],
  ] as const)('announces %s → %s as %s', (from, to, kind) => {
    expect(alertEventForTransition(finding, transition(from, to))).toMatchObject({ kind, at, finding });
  });

  it('pages a flapping finding once: a reopening within the hold time raises no event', () => {
    expect(alertEventForTransition(finding, transition('resolved', 'open'))).toBeUndefined();
  });

  it('gives the same transition the same event id, so saving it twice queues one delivery', () => {
    const a = alertEventForTransition(finding, transition(null, 'open'));
    const b = alertEventForTransition(finding, transition(null, 'open'));
    expect(a?.id).toBe(b?.id);
    expect(alertEventForTransition(finding, transition('open', 'resolved'))?.id).not.toBe(a?.id);
  });
});
