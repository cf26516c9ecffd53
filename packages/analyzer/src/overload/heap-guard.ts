import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** The heap's used share of its limit, 0..1. */
function readHeapUsedShare(): number {
  const heap = getHeapStatistics();
  return heap.used_heap_size / heap.heap_size_limit;
}

/**
 * A full garbage collection. Node exposes `gc` only under --expose-gc; the flag set at run time makes
 * a new context's global `gc` available. Used only while the heap is over its limit, after memory was
 * freed: without a collection the reading stays high (nothing allocates while ingest is refused), and
 * the guard once refused ingest for good (22 minutes, until the test stopped).
 */
function collectGarbage(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

export interface HeapGuardOptions {
  /** Share of the heap limit past which the analyzer is overloaded. */
  limit: number;
  /** Default `readHeapUsedShare`; tests pass their own. */
  readShare?: () => number;
  /** Default a full collection; tests pass their own. */
  collect?: () => void;
}

/**
 * Watches the heap at each evaluation. Past `limit` it asks the model to free what it can spare and
 * collects garbage, then reads again: ingest is refused only while the heap stays over the limit.
 */
export class HeapGuard {
  /** The last reading. */
  share = 0;
  private readonly readShare: () => number;
  private readonly collect: () => void;

  constructor(private readonly options: HeapGuardOptions) {
    this.readShare = options.readShare ?? readHeapUsedShare;
    this.collect = options.collect ?? collectGarbage;
  }

  get overloaded(): boolean {
    return this.share > this.options.limit;
  }

  /** Reads the heap; when over the limit, `relieve` frees memory and a collection makes it show. */
  check(relieve: () => void): void {
    this.share = this.readShare();
    if (!this.overloaded) return;
    relieve();
    this.collect();
    this.share = this.readShare();
  }
}
