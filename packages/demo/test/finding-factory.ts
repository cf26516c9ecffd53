import type { ObservedFinding } from '../src/attribute-finding.js';

let nextId = 1;

/** A finding as the analyzer's API serves it, with only what a test cares about to fill in. */
export function makeFinding(overrides: Partial<ObservedFinding> = {}): ObservedFinding {
  return {
    id: `finding-${nextId++}`,
    type: 'mystery_gap',
    status: 'open',
    severity: 'warning',
    summary: 'a 3.0 s gap between query-rows and upload',
    nextStep: 'instrument the call between query-rows and upload',
    subject: {},
    evidence: { figures: { gapSeconds: 3 }, traces: [{ traceId: 'a'.repeat(32), label: 'worst attempt' }] },
    firstSeen: Date.now(),
    ...overrides,
  };
}
