import { MapTable } from './table/map-table.js';
import type { Table } from './table/table.js';

/** What a child span's exception event said, for the attempt that has not arrived yet. */
export interface ChildException {
  errorType: string;
  errorMessage?: string;
}

/**
 * Exceptions recorded on child spans, by their parent's key (trace + span id), until the parent arrives.
 * An instrumentation that records no exception on its consumer span (amqplib's) leaves the error type to
 * whatever a child recorded; children end, and are exported, before their parent. Bounded: past
 * `maxEntries` the oldest go, as a parent that never comes must not hold memory.
 */
export class ChildExceptionTypes {
  private readonly byParent: Table<ChildException>;

  constructor(maxEntries: number) {
    this.byParent = new MapTable<ChildException>(maxEntries);
  }

  get size(): number {
    return this.byParent.size;
  }

  /** Keeps the first exception a parent's children recorded: the one its failure started from. */
  note(parentKey: string, exception: ChildException): void {
    if (this.byParent.get(parentKey) === undefined) this.byParent.set(parentKey, exception);
  }

  /** The exception noted for `parentKey`, forgotten as it is handed out. */
  take(parentKey: string): ChildException | undefined {
    return this.byParent.delete(parentKey);
  }
}
