import { redactText, redactValue } from '@joblens/otlp-receiver';
import type { Finding } from '../findings/finding.js';
import type { FindingSources } from '../findings/finding-sources.js';
import type { TimelineAttempt } from '../findings/timeline-data.js';
import type { ExplainedAttempt, Explanation } from './explanation.js';

/** Bounds that keep an explanation pasteable: counts of list items and characters per text. */
const EXPLAIN_LIMITS = {
  attempts: 10,
  stepsPerAttempt: 30,
  storyEntries: 60,
  attributes: 60,
  similar: 5,
  textChars: 500,
} as const;

export async function buildExplanation(finding: Finding, sources: FindingSources): Promise<Explanation> {
  let truncated = false;
  const cut = <T>(items: T[], max: number): T[] => {
    if (items.length <= max) return items;
    truncated = true;
    return items.slice(items.length - max);
  };
  const text = (value: string | undefined): string | undefined => {
    if (value === undefined) return undefined;
    const clean = redactText(value);
    if (clean.length <= EXPLAIN_LIMITS.textChars) return clean;
    truncated = true;
    return `${clean.slice(0, EXPLAIN_LIMITS.textChars)}…`;
  };

  const timeline = sources.timelineFor(finding);
  const attempts = cut(timeline?.attempts ?? [], EXPLAIN_LIMITS.attempts).map((a) =>
    explainAttempt(a, cut, text),
  );
  const detail = sources.attemptDetail(finding);
  const attributes = boundedRecord(
    detail?.attributes ?? {},
    EXPLAIN_LIMITS.attributes,
    () => (truncated = true),
  );
  const worker = finding.subject.worker
    ? sources.workers().find((w) => w.worker === finding.subject.worker)
    : undefined;
  const transitions = await sources.store.transitions(finding.id);

  const story: Array<{ at: number; what: string }> = [];
  for (const a of timeline?.attempts ?? []) {
    story.push({ at: a.startMs, what: `attempt ${a.attempt} started${a.worker ? ` on ${a.worker}` : ''}` });
    for (const gap of a.gaps) {
      story.push({
        at: gap.startMs,
        what: `silence began after ${gap.after ?? 'start'} (${seconds((gap.endMs - gap.startMs) / 1000)} s until ${gap.before ?? 'end'})`,
      });
    }
    if (a.hang)
      story.push({ at: a.hang.sinceMs, what: `no activity since, in step ${a.hang.step ?? '(none)'}` });
    if (a.endMs !== undefined) {
      story.push({
        at: a.endMs,
        what: `attempt ${a.attempt} ended: ${a.outcome ?? 'unknown'}${a.errorType ? ` (${a.errorType})` : ''}`,
      });
    }
  }
  for (const t of transitions)
    story.push({
      at: t.at,
      // A person's action keeps the status; its summary says what was done and by whom.
      what: t.event ? `finding ${t.summary}` : `finding ${t.from ?? 'new'} → ${t.to}: ${t.summary}`,
    });
  story.sort((x, y) => x.at - y.at);

  const similar = (await sources.store.list({ type: finding.type, limit: 50 }))
    .filter((f) => f.id !== finding.id && sharesSubject(f, finding))
    .slice(0, EXPLAIN_LIMITS.similar)
    .map((f) => ({
      id: f.id,
      type: f.type,
      status: f.status,
      summary: text(f.summary) ?? '',
      lastSeen: f.lastSeen,
    }));

  // Attribute values, snapshots and detector detail are telemetry too: redacted, then clipped like texts.
  const bounded = (value: unknown): unknown => clipValue(redactValue(value), () => (truncated = true));

  return {
    finding: {
      id: finding.id,
      type: finding.type,
      severity: finding.severity,
      status: finding.status,
      summary: text(finding.summary) ?? '',
      nextStep: text(finding.nextStep) ?? '',
      firstSeen: finding.firstSeen,
      lastSeen: finding.lastSeen,
      resolvedAt: finding.resolvedAt,
      acknowledgedBy: text(finding.acknowledgedBy),
      acknowledgedAt: finding.acknowledgedAt,
      snoozedUntil: finding.snoozedUntil,
      subject: bounded(finding.subject) as Explanation['finding']['subject'],
    },
    story: cut(story, EXPLAIN_LIMITS.storyEntries).map((s) => ({ at: s.at, what: text(s.what) ?? '' })),
    attempts,
    evidence: bounded(finding.evidence) as Explanation['evidence'],
    attributes: bounded(attributes) as Record<string, unknown>,
    resource: detail?.resource
      ? (bounded(boundedRecord(detail.resource, 30, () => (truncated = true))) as Record<string, unknown>)
      : undefined,
    snapshot: detail?.snapshot ? (bounded(detail.snapshot) as Record<string, unknown>) : undefined,
    dump: detail?.dump ? (bounded(detail.dump) as Record<string, unknown>) : undefined,
    worker: worker ? (bounded(worker) as Explanation['worker']) : undefined,
    similar,
    // Read last: the calls above set it.
    truncated,
  };
}

function explainAttempt(
  a: TimelineAttempt,
  cut: <T>(items: T[], max: number) => T[],
  text: (value: string | undefined) => string | undefined,
): ExplainedAttempt {
  const offset = (ms: number) => seconds((ms - a.startMs) / 1000);
  return {
    attempt: a.attempt,
    worker: a.worker,
    host: a.host,
    startedAt: a.startMs,
    durationSeconds: a.endMs === undefined ? undefined : seconds((a.endMs - a.startMs) / 1000),
    outcome: a.outcome ?? 'running',
    errorType: text(a.errorType),
    errorMessage: text(a.errorMessage),
    steps: cut(a.steps, EXPLAIN_LIMITS.stepsPerAttempt).map((s) => ({
      name: text(s.name) ?? '',
      offsetSeconds: offset(s.startMs),
      durationSeconds: s.endMs === undefined ? undefined : seconds((s.endMs - s.startMs) / 1000),
      failed: s.failed || undefined,
    })),
    gaps: a.gaps.map((g) => ({
      offsetSeconds: offset(g.startMs),
      durationSeconds: seconds((g.endMs - g.startMs) / 1000),
      between: text(`${g.after ?? 'start'} → ${g.before ?? 'end'}`) ?? '',
    })),
  };
}

function sharesSubject(a: Finding, b: Finding): boolean {
  const x = a.subject;
  const y = b.subject;
  return (
    (x.jobName !== undefined && x.jobName === y.jobName) ||
    (x.queue !== undefined && x.queue === y.queue && x.service === y.service) ||
    (x.worker !== undefined && x.worker === y.worker) ||
    (x.monitor !== undefined && x.monitor === y.monitor)
  );
}

/** Strings cut to {@link EXPLAIN_LIMITS.textChars}, arrays and objects to {@link EXPLAIN_LIMITS.attributes} items. */
function clipValue(value: unknown, onCut: () => void, depth = 0): unknown {
  if (typeof value === 'string') {
    if (value.length <= EXPLAIN_LIMITS.textChars) return value;
    onCut();
    return `${value.slice(0, EXPLAIN_LIMITS.textChars)}…`;
  }
  if (value === null || typeof value !== 'object' || depth > 8) return value;
  if (Array.isArray(value)) {
    if (value.length > EXPLAIN_LIMITS.attributes) onCut();
    return value.slice(0, EXPLAIN_LIMITS.attributes).map((v) => clipValue(v, onCut, depth + 1));
  }
  const entries = Object.entries(value);
  if (entries.length > EXPLAIN_LIMITS.attributes) onCut();
  return Object.fromEntries(
    entries.slice(0, EXPLAIN_LIMITS.attributes).map(([k, v]) => [k, clipValue(v, onCut, depth + 1)]),
  );
}

function boundedRecord<T>(record: Record<string, T>, max: number, onCut: () => void): Record<string, T> {
  const entries = Object.entries(record);
  if (entries.length > max) onCut();
  return Object.fromEntries(entries.slice(0, max));
}

function seconds(value: number): number {
  return Math.round(value * 1000) / 1000;
}
