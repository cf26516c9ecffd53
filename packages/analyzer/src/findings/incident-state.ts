import type { Finding, FindingTransition } from './finding.js';

/**
 * Where a finding stands for the people on call. `status` says whether the problem holds; the state adds
 * what people did about it: acknowledged (someone has it), snoozed (quiet until a time, which ends by
 * itself). An acknowledged finding that is also snoozed shows as acknowledged: nobody needs reminding.
 */
export type IncidentState = 'open' | 'acknowledged' | 'snoozed' | 'resolved';

export function incidentState(finding: Finding, now: number): IncidentState {
  if (finding.status === 'resolved') return 'resolved';
  if (finding.acknowledgedBy !== undefined) return 'acknowledged';
  if (isSnoozed(finding, now)) return 'snoozed';
  return 'open';
}

export function isSnoozed(finding: Finding, now: number): boolean {
  return finding.snoozedUntil !== undefined && finding.snoozedUntil > now;
}

/** What a person asks of a finding. */
export type IncidentAction =
  | { kind: 'acknowledge'; by: string }
  | { kind: 'snooze'; until: number; by?: string };

/** Why an action was refused; `conflict` actions do not fit the finding's state, `invalid` ones never would. */
type IncidentRefusal = { ok: false; reason: 'conflict' | 'invalid'; message: string };

export type IncidentOutcome = { ok: true; finding: Finding; transition: FindingTransition } | IncidentRefusal;

/**
 * The lifecycle's moves, as one pure function: open → acknowledged, open or acknowledged → snoozed (a
 * snooze may be moved), and nothing on a resolved finding. Resolving is the detectors' move, never a
 * person's; a finding that comes back is the detectors' too.
 */
export function applyIncidentAction(finding: Finding, action: IncidentAction, now: number): IncidentOutcome {
  if (finding.status === 'resolved')
    return refuse(
      'conflict',
      `finding ${finding.id} is resolved; only an open finding can be ${past(action)}`,
    );
  if (action.kind === 'acknowledge') {
    if (finding.acknowledgedBy !== undefined)
      return refuse(
        'conflict',
        `finding ${finding.id} was acknowledged by ${finding.acknowledgedBy} at ${new Date(finding.acknowledgedAt ?? now).toISOString()}`,
      );
    return {
      ok: true,
      finding: { ...finding, acknowledgedBy: action.by, acknowledgedAt: now },
      transition: {
        findingId: finding.id,
        at: now,
        from: 'open',
        to: 'open',
        summary: `acknowledged by ${action.by}`,
        event: 'acknowledged',
        actor: action.by,
      },
    };
  }
  if (!(action.until > now))
    return refuse('invalid', `until must be a time after now (${new Date(now).toISOString()})`);
  const until = new Date(action.until).toISOString();
  return {
    ok: true,
    finding: { ...finding, snoozedUntil: action.until },
    transition: {
      findingId: finding.id,
      at: now,
      from: 'open',
      to: 'open',
      summary: action.by ? `snoozed until ${until} by ${action.by}` : `snoozed until ${until}`,
      event: 'snoozed',
      ...(action.by ? { actor: action.by } : {}),
    },
  };
}

function refuse(reason: IncidentRefusal['reason'], message: string): IncidentRefusal {
  return { ok: false, reason, message };
}

function past(action: IncidentAction): string {
  return action.kind === 'acknowledge' ? 'acknowledged' : 'snoozed';
}
