import type { Finding, FindingFilter, FindingTransition } from './finding.js';

/**
 * Where findings and their transitions live. `SqliteFindingStore` is the default; `MemoryFindingStore`
 * is a real implementation for tests and for runs without a data directory.
 */
export interface FindingStore {
  /** Writes findings and their transitions atomically; returns once durable. */
  save(findings: Finding[], transitions: FindingTransition[]): void;
  get(id: string): Finding | undefined;
  /** Newest first (by lastSeen). */
  list(filter?: FindingFilter): Finding[];
  open(): Finding[];
  transitions(findingId: string): FindingTransition[];
  close(): void;
}
