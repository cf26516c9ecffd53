import type { Finding, FindingFilter, FindingTransition } from '../findings/finding.js';
import type { FindingStore, SaveOptions } from '../findings/finding-store.js';

/** Receives the duration of each store operation (for joblens_analyzer_store_operation_seconds). */
export type StoreOperationObserver = (operation: string, seconds: number) => void;

/** Wraps a store so each operation's duration is reported; results and errors pass through untouched. */
export class TimedFindingStore implements FindingStore {
  constructor(
    private readonly inner: FindingStore,
    private readonly observe: StoreOperationObserver,
  ) {}

  save(
    findings: Finding[],
    transitions: FindingTransition[],
    options?: SaveOptions,
  ): Promise<FindingTransition[]> {
    return this.time('save', () => this.inner.save(findings, transitions, options));
  }

  get(id: string): Promise<Finding | undefined> {
    return this.time('get', () => this.inner.get(id));
  }

  list(filter?: FindingFilter): Promise<Finding[]> {
    return this.time('list', () => this.inner.list(filter));
  }

  open(filter?: { owner?: string }): Promise<Finding[]> {
    return this.time('open', () => this.inner.open(filter));
  }

  transitions(findingId: string): Promise<FindingTransition[]> {
    return this.time('transitions', () => this.inner.transitions(findingId));
  }

  prune(resolvedBefore: number): Promise<number> {
    return this.time('prune', () => this.inner.prune(resolvedBefore));
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  private async time<T>(operation: string, run: () => Promise<T>): Promise<T> {
    const started = process.hrtime.bigint();
    try {
      return await run();
    } finally {
      this.observe(operation, Number(process.hrtime.bigint() - started) / 1e9);
    }
  }
}
