import type { FindingType } from '@joblens/semconv';
import type { FindingDraft, Severity } from '../detectors/finding-draft.js';
import type { Finding, FindingTransition } from './finding.js';
import { findingId } from './finding-id.js';

export interface ReconcileOptions {
  /** An open finding whose key no detector returns resolves once it went unseen this long. Default 0. */
  resolveAfterSeconds?: number;
  /**
   * A resolved finding whose key comes back within this many seconds of resolving reopens (same id,
   * a `resolved → open` transition) instead of opening a new finding. Default: 0 for every type.
   */
  reopenWithinSeconds?: (type: FindingType) => number;
}

export interface ReconcileResult {
  /** Findings to save: opened, reopened, updated and resolved ones. */
  findings: Finding[];
  transitions: FindingTransition[];
}

export const SEVERITY_RANK: Record<Severity, number> = { info: 0, warning: 1, critical: 2 };

export function findingIdentity(type: string, key: string): string {
  return `${type}\u0000${key}`;
}

/**
 * A person's acknowledgement, snooze and the last reminder belong to the finding, not to what the
 * detector says now: they carry over every update, and a reopening within the hold time (the same problem
 * flapping, not paged again) keeps them too.
 */
function updated(finding: Finding, draft: FindingDraft, now: number): Finding {
  const { acknowledgedBy, acknowledgedAt, snoozedUntil, remindedAt } = finding;
  return {
    ...draft,
    ...definedOnly({ acknowledgedBy, acknowledgedAt, snoozedUntil, remindedAt }),
    id: finding.id,
    status: 'open',
    firstSeen: finding.firstSeen,
    lastSeen: now,
    since: Math.min(finding.since, draft.since),
  };
}

/**
 * Turns what the detectors say now into findings. A new key opens a finding; a known key updates it
 * (with an `open → open` transition when its severity rises; it never falls while the finding stays
 * open); an open finding whose key is gone
 * resolves; a key that comes back soon after its finding resolved reopens that same finding, so a
 * flapping condition keeps one id. Pure: `known` must hold only findings of the detectors that produced
 * `drafts` (others' findings would resolve): the open ones and those resolved recently enough to reopen.
 */
export function reconcile(
  known: readonly Finding[],
  drafts: readonly FindingDraft[],
  now: number,
  options: ReconcileOptions = {},
): ReconcileResult {
  const resolveAfterMs = (options.resolveAfterSeconds ?? 0) * 1000;
  const reopenWithinSeconds = options.reopenWithinSeconds ?? (() => 0);
  const current = new Map<string, FindingDraft>();
  for (const draft of drafts) {
    const id = findingIdentity(draft.type, draft.key);
    const seen = current.get(id);
    if (seen === undefined || SEVERITY_RANK[draft.severity] > SEVERITY_RANK[seen.severity])
      current.set(id, draft);
  }
  const findings: Finding[] = [];
  const transitions: FindingTransition[] = [];
  const open = new Set<string>();
  const reopenable = new Map<string, Finding>();
  for (const finding of known) {
    const id = findingIdentity(finding.type, finding.key);
    if (finding.status !== 'open') {
      const within = reopenWithinSeconds(finding.type) * 1000;
      const resolvedAt = finding.resolvedAt ?? finding.lastSeen;
      const newest = reopenable.get(id);
      if (now - resolvedAt <= within && (newest === undefined || resolvedAt > (newest.resolvedAt ?? 0)))
        reopenable.set(id, finding);
      continue;
    }
    open.add(id);
    const draft = current.get(id);
    if (draft !== undefined) {
      // While open, a finding keeps the worst severity it reached: a measure hovering at a severity's
      // threshold would otherwise page, calm down and page again with every evaluation.
      const escalated = SEVERITY_RANK[draft.severity] > SEVERITY_RANK[finding.severity];
      findings.push({
        ...updated(finding, draft, now),
        severity: escalated ? draft.severity : finding.severity,
      });
      if (escalated) {
        transitions.push({
          findingId: finding.id,
          at: now,
          from: 'open',
          to: 'open',
          summary: `severity ${finding.severity} → ${draft.severity}: ${draft.summary}`,
        });
      }
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
    if (open.has(id)) continue;
    const resolved = reopenable.get(id);
    if (resolved !== undefined) {
      const { resolvedAt: _dropped, ...rest } = updated(resolved, draft, now);
      findings.push(rest);
      transitions.push({
        findingId: resolved.id,
        at: now,
        from: 'resolved',
        to: 'open',
        summary: draft.summary,
      });
      continue;
    }
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

function definedOnly<T extends object>(fields: T): Partial<T> {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)) as Partial<T>;
}
