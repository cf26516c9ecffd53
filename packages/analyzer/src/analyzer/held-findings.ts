import type { Finding, FindingTransition } from '../findings/finding.js';
import type { FindingStore } from '../findings/finding-store.js';
import { findingIdentity } from '../findings/reconcile.js';

/** What one evaluation found and changed, as reconcile returns it. */
export interface EvaluationResult {
  findings: Finding[];
  transitions: FindingTransition[];
}

export interface HeldFindingsOptions {
  store: Pick<FindingStore, 'open' | 'list'>;
  /** On a shared database, the owner whose open findings this analyzer takes back; else all. */
  owner: string | undefined;
  /** Given the findings resolved just before a restart, which may still reopen (the runner's hold time). */
  rememberResolved: (resolved: Finding[]) => void;
  /** Also read from the store at start, alongside the findings. */
  loadAlongside: () => Promise<void>;
}

/**
 * The open findings this analyzer raised or holds: the only ones its evaluations resolve. Loaded from the
 * store before the first evaluation, kept by the evaluation loop, changed by people through the incident
 * lifecycle; on a shared database also the open findings other analyzers hold.
 */
export class HeldFindings {
  /** By finding id. */
  readonly open = new Map<string, Finding>();
  /** On a shared database, the open findings other analyzers hold, by type and key (see adoptSharedFindings). */
  private othersOpenByIdentity = new Map<string, Finding>();
  /** Ids of the findings open when the analyzer started. */
  private readonly inherited = new Set<string>();
  private loaded = false;

  constructor(private readonly options: HeldFindingsOptions) {}

  get othersOpen(): ReadonlyMap<string, Finding> {
    return this.othersOpenByIdentity;
  }

  /**
   * Takes back what the store holds, before the first evaluation (and again at the next one if the
   * database is unreachable at start). On SQLite every open finding is this analyzer's. On a shared
   * PostgreSQL database only the findings whose latest status change this instance recorded are: the
   * others belong to the analyzers whose shard holds their jobs, and adopting them here would have this
   * analyzer resolve them once its own, different jobs do not show the fault. They are still listed.
   */
  async load(): Promise<void> {
    if (this.loaded) return;
    const { store, owner } = this.options;
    const [open, resolved] = await Promise.all([
      store.open(owner === undefined ? {} : { owner }),
      store.list({ status: 'resolved', limit: 1000 }),
      this.options.loadAlongside(),
    ]);
    for (const finding of open) {
      this.open.set(finding.id, finding);
      this.inherited.add(finding.id);
    }
    this.options.rememberResolved(resolved);
    this.loaded = true;
  }

  /**
   * On a shared database people act through any analyzer, and another analyzer may resolve a finding this
   * one holds too. Before each evaluation the held copies take the stored acknowledgement, snooze and
   * last reminder (else this analyzer's next save would undo them), and findings no longer open in the
   * store are let go: should this analyzer still see the fault, it raises it again as a reopening.
   */
  async refreshFromStore(): Promise<void> {
    const stored = new Map((await this.options.store.open()).map((f) => [f.id, f]));
    for (const [id, held] of this.open) {
      const current = stored.get(id);
      if (current) this.open.set(id, withIncidentFieldsOf(held, current));
      else this.open.delete(id);
    }
    this.othersOpenByIdentity = new Map();
    for (const finding of stored.values())
      if (!this.open.has(finding.id))
        this.othersOpenByIdentity.set(findingIdentity(finding.type, finding.key), finding);
  }

  /** Drops resolutions of findings that were open when the analyzer started (the restart's warm-up). */
  keepInheritedOpen(run: EvaluationResult): EvaluationResult {
    const held = (id: string, to: string) => to === 'resolved' && this.inherited.has(id);
    return {
      findings: run.findings.filter((f) => !held(f.id, f.status)),
      transitions: run.transitions.filter((t) => !held(t.findingId, t.to)),
    };
  }

  /** Takes the saved findings: open ones are held, resolved ones let go. */
  update(saved: readonly Finding[]): void {
    for (const finding of saved) {
      if (finding.status === 'open') this.open.set(finding.id, finding);
      else this.open.delete(finding.id);
    }
  }
}

/** `held` with the people's part (acknowledgement, snooze, last reminder) as `stored` has it. */
function withIncidentFieldsOf(held: Finding, stored: Finding): Finding {
  const { acknowledgedBy: _a, acknowledgedAt: _b, snoozedUntil: _c, remindedAt: _d, ...rest } = held;
  const merged: Finding = { ...rest };
  if (stored.acknowledgedBy !== undefined) merged.acknowledgedBy = stored.acknowledgedBy;
  if (stored.acknowledgedAt !== undefined) merged.acknowledgedAt = stored.acknowledgedAt;
  if (stored.snoozedUntil !== undefined) merged.snoozedUntil = stored.snoozedUntil;
  if (stored.remindedAt !== undefined) merged.remindedAt = stored.remindedAt;
  return merged;
}
