import { describe, expect, it } from 'vitest';
import { alertForTransition, isAlerted } from '../../src/alerts/alert-message.js';
import type { FindingTransition } from '../../src/findings/finding.js';
import { makeFinding } from '../store/make-finding.js';

function transition(from: FindingTransition['from'], to: FindingTransition['to']): FindingTransition {
  return { findingId: 'f-1', at: 1_700_000_000_000, from, to, summary: 'render is silent 7.0 s' };
}

describe('the alert for a finding transition', () => {
  it('is sent when a finding opens, changes severity or resolves, and not when it reopens within its hold time', () => {
    expect(isAlerted(transition(null, 'open'))).toBe(true);
    expect(isAlerted(transition('open', 'open'))).toBe(true);
    expect(isAlerted(transition('open', 'resolved'))).toBe(true);
    expect(isAlerted(transition('resolved', 'open'))).toBe(false);
  });

  it('says what changed', () => {
    const finding = makeFinding({ severity: 'critical' });
    expect(alertForTransition(finding, transition(null, 'open')).text).toMatch(
      /^\[CRITICAL\] mystery_gap opened /,
    );
    expect(alertForTransition(finding, transition('open', 'open')).text).toMatch(
      /^\[CRITICAL\] mystery_gap raised its severity /,
    );
    expect(alertForTransition(finding, transition('open', 'resolved')).text).toMatch(/mystery_gap resolved /);
  });
});
