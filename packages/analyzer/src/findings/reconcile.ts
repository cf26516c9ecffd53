import type { Finding, FindingDraft, FindingTransition, Severity } from './finding.js';
import { findingId } from './finding-id.js';

export interface ReconcileOptions {
  /** An open finding whose key no detector returns resolves once it went unseen this long. Default 0. */
  resolveAfterSeconds?: number;
}

export interface ReconcileResult {
  /** Findings to save: opened, updated and resolved ones. */
  findings: Finding[];
  transitions: FindingTransition[];
}

const SEVERITY_RANK: Record<Severity, number> = { info: 0, warning: 1, critical: 2 };

function identity(type: string, key: string): string {
  return `${type}\u0000${key}`;
}

/**
 * Turns what the detectors say now into findings: a new key opens a finding, a known key updates it
 * (no transition), an open finding whose key is gone resolves. Pure: `open` must hold only findings of
 * the detectors that produced `drafts` (others' findings would resolve).
 */
export function reconcile(
  open: readonly Finding[],
  drafts: readonly FindingDraft[],
  now: number,
  options: ReconcileOptions = {},
): ReconcileResult {
  const resolveAfterMs = (options.resolveAfterSeconds ?? 0) * 1000;
  const current = new Map<string, FindingDraft>();
  for (const draft of drafts) {
    const id = identity(draft.type, draft.key);
    const seen = current.get(id);
    if (seen === undefined || SEVERITY_RANK[draft.severity] > SEVERITY_RANK[seen.severity])
      current.set(id, draft);
  }
  const findings: Finding[] = [];
  const transitions: FindingTransition[] = [];
  const known = new Set<string>();
  for (const finding of open) {
    if (finding.status !== 'open') continue;
    const id = identity(finding.type, finding.key);
    known.add(id);
    const draft = current.get(id);
    if (draft !== undefined) {
      findings.push({
        ...draft,
        id: finding.id,
        status: 'open',
        firstSeen: finding.firstSeen,
        lastSeen: now,
        since: Math.min(finding.since, draft.since),
      });
      continue;
    }
    if (now - finding.lastSeen < resolveAfterMs) continue;
    findings.push({ ...finding, status: 'resolved', resolvedAt: now });
    transitions.push({
      findingId: finding.id,
      at: now,
      from: 'open',
      to: 'resolved',
      summary: finding.summary,
    });
  }
  for (const [id, draft] of current) {
    if (known.has(id)) continue;
    const finding: Finding = {
      ...draft,
      id: findingId(draft.type, draft.key, now),
      status: 'open',
      firstSeen: now,
      lastSeen: now,
    };
    findings.push(finding);
    transitions.push({ findingId: finding.id, at: now, from: null, to: 'open', summary: draft.summary });
  }
  return { findings, transitions };
}
