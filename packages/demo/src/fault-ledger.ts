import { type Attribution, attributeFinding, type ObservedFinding } from './attribute-finding.js';
import type { FaultSpec } from './scenario.js';

export interface FaultRow {
  fault: FaultSpec;
  injectedAtMs?: number;
  /** The first finding of the expected type about this fault. */
  detection?: { finding: ObservedFinding; latencySeconds: number };
  /** Related findings attributed to the fault (not required, not false). */
  related: ObservedFinding[];
}

/** What one finding turned out to be, the first time the demo saw it. */
export type LedgerEntry = Attribution & { finding: ObservedFinding; latencySeconds?: number; first: boolean };

/**
 * Faults against findings: when each fault was injected, which finding found it first and how long
 * that took, and which findings nothing explains.
 */
export class FaultLedger {
  private readonly rowsById = new Map<string, FaultRow>();
  private readonly seen = new Set<string>();
  /** The severity each finding was last seen with, to tell a change of it. */
  private readonly severities = new Map<string, string>();
  private readonly falseOnes: ObservedFinding[] = [];
  private lastSurpriseAtMs = 0;

  constructor(private readonly faults: readonly FaultSpec[]) {
    for (const fault of faults) this.rowsById.set(fault.id, { fault, related: [] });
  }

  markInjected(faultId: string, atMs: number): void {
    const row = this.rowsById.get(faultId);
    if (row && row.injectedAtMs === undefined) row.injectedAtMs = atMs;
  }

  /** Records a finding once (by id); returns undefined for one already recorded. */
  record(finding: ObservedFinding, nowMs: number): LedgerEntry | undefined {
    if (this.seen.has(finding.id)) return undefined;
    this.seen.add(finding.id);
    this.severities.set(finding.id, finding.severity);
    const attribution = this.attributeInTime(finding);
    if (attribution.kind === 'false') {
      this.falseOnes.push(finding);
      this.lastSurpriseAtMs = nowMs;
      return { ...attribution, finding, first: true };
    }
    const row = this.rowsById.get(attribution.fault.id)!;
    const latencySeconds = Math.max(0, (finding.firstSeen - (row.injectedAtMs ?? finding.firstSeen)) / 1000);
    if (attribution.kind === 'related') {
      row.related.push(finding);
      return { ...attribution, finding, latencySeconds, first: false };
    }
    const first = row.detection === undefined;
    if (first) row.detection = { finding, latencySeconds };
    return { ...attribution, finding, latencySeconds, first };
  }

  /**
   * The severity a finding recorded before had, when it differs from the one it has now (the analyzer
   * updates a finding in place when its severity changes); undefined otherwise.
   */
  severityChange(finding: ObservedFinding): string | undefined {
    const before = this.severities.get(finding.id);
    if (before === undefined || before === finding.severity) return undefined;
    this.severities.set(finding.id, finding.severity);
    return before;
  }

  /** A finding about a fault's subject that opened before the fault was injected is not explained by it. */
  private attributeInTime(finding: ObservedFinding): Attribution {
    const attribution = attributeFinding(finding, this.faults);
    if (attribution.kind === 'false') return attribution;
    const injectedAtMs = this.rowsById.get(attribution.fault.id)?.injectedAtMs;
    // One second of slack: the analyzer stamps firstSeen on its own evaluation tick.
    if (injectedAtMs === undefined || finding.firstSeen < injectedAtMs - 1000) return { kind: 'false' };
    return attribution;
  }

  rows(): FaultRow[] {
    return [...this.rowsById.values()];
  }

  falseFindings(): ObservedFinding[] {
    return [...this.falseOnes];
  }

  /** Findings recorded so far, of any kind. */
  findingCount(): number {
    return this.seen.size;
  }

  foundCount(): number {
    return this.rows().filter((row) => row.detection).length;
  }

  allFound(): boolean {
    return this.foundCount() === this.rowsById.size;
  }

  /** Unix ms of the latest false finding, 0 when none. */
  lastFalseFindingAtMs(): number {
    return this.lastSurpriseAtMs;
  }
}
