import type { Finding, FindingFilter, FindingTransition } from '../findings/finding.js';
import type { FindingStore } from '../findings/finding-store.js';
import { DEFAULT_LIST_LIMIT } from './sqlite-finding-store.js';

/**
 * A real in-memory store with the same behaviour as `SqliteFindingStore` (copies in and out, newest
 * first, same filters), for tests and for runs that keep nothing.
 */
export class MemoryFindingStore implements FindingStore {
  private readonly findings = new Map<string, Finding>();
  private readonly transitionsById = new Map<string, FindingTransition[]>();

  save(findings: Finding[], transitions: FindingTransition[]): void {
    for (const finding of findings) this.findings.set(finding.id, structuredClone(finding));
    for (const transition of transitions) {
      const list = this.transitionsById.get(transition.findingId) ?? [];
      list.push({ ...transition });
      this.transitionsById.set(transition.findingId, list);
    }
  }

  get(id: string): Finding | undefined {
    const finding = this.findings.get(id);
    return finding ? structuredClone(finding) : undefined;
  }

  list(filter: FindingFilter = {}): Finding[] {
    return [...this.findings.values()]
      .filter(
        (f) =>
          (filter.type === undefined || f.type === filter.type) &&
          (filter.status === undefined || f.status === filter.status) &&
          (filter.service === undefined || f.subject.service === filter.service) &&
          (filter.queue === undefined || f.subject.queue === filter.queue) &&
          (filter.worker === undefined || f.subject.worker === filter.worker),
      )
      .sort(newestFirst)
      .slice(0, filter.limit ?? DEFAULT_LIST_LIMIT)
      .map((f) => structuredClone(f));
  }

  open(): Finding[] {
    return this.list({ status: 'open', limit: Number.MAX_SAFE_INTEGER });
  }

  transitions(findingId: string): FindingTransition[] {
    return (this.transitionsById.get(findingId) ?? []).map((t) => ({ ...t }));
  }

  close(): void {}
}

function newestFirst(a: Finding, b: Finding): number {
  return b.lastSeen - a.lastSeen || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}
