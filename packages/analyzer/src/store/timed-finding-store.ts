import type { Finding, FindingFilter, FindingTransition } from '../findings/finding.js';
import type { FindingStore } from '../findings/finding-store.js';

/** Receives the duration of each store operation (for joblens_analyzer_store_operation_seconds). */
export type StoreOperationObserver = (operation: string, seconds: number) => void;

/** Wraps a store so each operation's duration is reported; results and errors pass through untouched. */
export class TimedFindingStore implements FindingStore {
  constructor(
    private readonly inner: FindingStore,
    private readonly observe: StoreOperationObserver,
  ) {}

  save(findings: Finding[], transitions: FindingTransition[]): void {
    this.time('save', () => this.inner.save(findings, transitions));
  }

  get(id: string): Finding | undefined {
    return this.time('get', () => this.inner.get(id));
  }

  list(filter?: FindingFilter): Finding[] {
    return this.time('list', () => this.inner.list(filter));
  }

  open(): Finding[] {
    return this.time('open', () => this.inner.open());
  }

  transitions(findingId: string): FindingTransition[] {
    return this.time('transitions', () => this.inner.transitions(findingId));
  }

  close(): void {
    this.inner.close();
  }

  private time<T>(operation: string, run: () => T): T {
    const started = process.hrtime.bigint();
    try {
      return run();
    } finally {
      this.observe(operation, Number(process.hrtime.bigint() - started) / 1e9);
    }
  }
}
