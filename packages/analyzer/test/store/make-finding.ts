import type { Finding, FindingTransition } from '../../src/findings/finding.js';

let counter = 0;

/** A plausible open mystery_gap finding; override what the test is about. */
export function makeFinding(overrides: Partial<Finding> = {}): Finding {
  counter++;
  const at = overrides.lastSeen ?? 1_700_000_000_000 + counter * 1000;
  return {
    id: `mystery_gap-${counter.toString(16).padStart(8, '0')}`,
    type: 'mystery_gap',
    key: `billing|invoices|render|fetch->upload|${counter}`,
    status: 'open',
    severity: 'warning',
    subject: { service: 'billing', queue: 'invoices', jobName: 'render', worker: 'w-1', host: 'host-a' },
    summary: 'render spends 7.0 s between fetch and upload with no span',
    nextStep: 'Add a step around the work between fetch and upload',
    evidence: {
      figures: { gapSeconds: 7, attempts: 3 },
      traces: [{ traceId: 'a'.repeat(32), spanId: 'b'.repeat(16), label: 'worst gap' }],
      detail: { before: 'fetch', after: 'upload' },
    },
    since: at - 5000,
    firstSeen: at,
    lastSeen: at,
    ...overrides,
  };
}

export function makeOpening(finding: Finding): FindingTransition {
  return { findingId: finding.id, at: finding.firstSeen, from: null, to: 'open', summary: finding.summary };
}
