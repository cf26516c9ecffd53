import type { FindingType } from '@joblens/semconv';
import type { Finding } from './finding.js';
import { findingIdentity } from './reconcile.js';

/** Enough for every key of every detector's `maxFindings` several times over; the oldest go first. */
const DEFAULT_MAX_FINDINGS = 10_000;

/**
 * The newest resolved finding of each problem (type + key), kept while it may still reopen: bounded by
 * count (oldest resolution evicted first) and by each type's hold time.
 */
export class RecentlyResolved {
  /** In order of resolution: re-adding a key moves it to the end. */
  private readonly byIdentity = new Map<string, Finding>();

  constructor(private readonly maxFindings: number = DEFAULT_MAX_FINDINGS) {}

  add(finding: Finding): void {
    const identity = findingIdentity(finding.type, finding.key);
    const held = this.byIdentity.get(identity);
    if (held !== undefined && (held.resolvedAt ?? 0) > (finding.resolvedAt ?? 0)) return;
    this.byIdentity.delete(identity);
    this.byIdentity.set(identity, finding);
    while (this.byIdentity.size > this.maxFindings) {
      const oldest = this.byIdentity.keys().next().value as string;
      this.byIdentity.delete(oldest);
    }
  }

  forget(identity: string): void {
    this.byIdentity.delete(identity);
  }

  /** Drops findings resolved longer ago than their type's hold time. */
  prune(now: number, reopenWithinSeconds: (type: FindingType) => number): void {
    for (const [identity, finding] of this.byIdentity) {
      const resolvedAt = finding.resolvedAt ?? finding.lastSeen;
      if (now - resolvedAt > reopenWithinSeconds(finding.type) * 1000) this.byIdentity.delete(identity);
    }
  }

  list(): Finding[] {
    return [...this.byIdentity.values()];
  }

  get size(): number {
    return this.byIdentity.size;
  }
}
