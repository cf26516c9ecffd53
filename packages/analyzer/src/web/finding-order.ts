import type { Severity } from '../detectors/finding-draft.js';
import type { Finding } from '../findings/finding.js';

const SEVERITY_RANK: Record<Severity, number> = { critical: 0, warning: 1, info: 2 };

/**
 * The order a person reads findings in: the most severe first, and within a severity the most recently
 * seen first. Open findings come before resolved ones of the same severity: they still need someone.
 */
export function compareFindingsForReading(a: Finding, b: Finding): number {
  return (
    (SEVERITY_RANK[a.severity] ?? 3) - (SEVERITY_RANK[b.severity] ?? 3) ||
    Number(a.status !== 'open') - Number(b.status !== 'open') ||
    b.lastSeen - a.lastSeen
  );
}
