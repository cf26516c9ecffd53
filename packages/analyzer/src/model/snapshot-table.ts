import { attributeBytes } from './attribute-bytes.js';
import type { JobLogFacts } from './facts.js';
import { MapTable } from './table/map-table.js';
import type { Table } from './table/table.js';

/**
 * Failure snapshots by attempt key (trace + span id), newest kept: at most `maxSnapshots`, and at most
 * `maxBytes` of attributes in all. A snapshot carries the job's data as attributes, up to 128 values of
 * 4096 characters each after the ingest limits: 10,000 of them could hold gigabytes by count alone.
 */
export class SnapshotTable {
  private readonly byKey: Table<{ facts: JobLogFacts; bytes: number }>;
  /** Estimated bytes of the held snapshots' attributes. */
  bytes = 0;

  constructor(
    maxSnapshots: number,
    private readonly maxBytes: number,
  ) {
    this.byKey = new MapTable(maxSnapshots, (_key, evicted) => {
      this.bytes -= evicted.bytes;
    });
  }

  get size(): number {
    return this.byKey.size;
  }

  get(key: string): JobLogFacts | undefined {
    return this.byKey.get(key)?.facts;
  }

  set(key: string, facts: JobLogFacts): void {
    // A snapshot sent again is the newest, not left in its old place.
    const old = this.byKey.delete(key);
    if (old !== undefined) this.bytes -= old.bytes;
    const bytes = attributeBytes(facts.attributes);
    this.bytes += bytes;
    this.byKey.set(key, { facts, bytes });
    // The newest always stays, even alone past the budget: it is the one explain is asked about next.
    while (this.byKey.size > 1 && this.bytes > this.maxBytes) {
      const oldest = this.byKey.delete(this.byKey.oldestKey() as string);
      if (oldest !== undefined) this.bytes -= oldest.bytes;
    }
  }
}
