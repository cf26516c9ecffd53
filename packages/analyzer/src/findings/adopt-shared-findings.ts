import type { Finding, FindingTransition } from './finding.js';
import { findingIdentity, SEVERITY_RANK } from './reconcile.js';

/**
 * On a shared database, another analyzer may already hold an open finding for a fault this one now sees
 * (a fault that spans shards, or jobs that moved when the set of analyzers changed). Finding ids include
 * the instant a finding first opened, so this analyzer's evaluation would mint a second id and alert a
 * second time. Instead it takes on the stored finding: same id, no opening transition, no alert, and from
 * now on it holds that finding too. `othersOpen` is keyed by `findingIdentity`.
 */
export function adoptSharedFindings(
  run: { findings: Finding[]; transitions: FindingTransition[] },
  othersOpen: ReadonlyMap<string, Finding>,
): { findings: Finding[]; transitions: FindingTransition[] } {
  if (othersOpen.size === 0) return run;
  const adopted = new Map<string, Finding>();
  const findings = run.findings.map((finding) => {
    const opened = run.transitions.some((t) => t.findingId === finding.id && t.from === null);
    const stored = opened ? othersOpen.get(findingIdentity(finding.type, finding.key)) : undefined;
    if (!stored) return finding;
    const taken: Finding = {
      ...stored,
      summary: finding.summary,
      evidence: finding.evidence,
      lastSeen: Math.max(stored.lastSeen, finding.lastSeen),
      severity:
        SEVERITY_RANK[finding.severity] > SEVERITY_RANK[stored.severity] ? finding.severity : stored.severity,
    };
    adopted.set(finding.id, taken);
    return taken;
  });
  if (adopted.size === 0) return run;
  return { findings, transitions: run.transitions.filter((t) => !adopted.has(t.findingId)) };
}
