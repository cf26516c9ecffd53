import { attributeBytes } from './attribute-bytes.js';
import type { JobLogFacts } from './facts.js';

/**
 * Failure snapshots by attempt key (trace + span id), newest kept: at most `maxSnapshots`, and at most
 * `maxBytes` of attributes in all. A snapshot carries the job's data as attributes, up to 128 values of
 * 4096 characters each after the ingest limits: 10,000 of them could hold gigabytes by count alone.
 */
export class SnapshotTable {
  private readonly byKey = new Map<string, { facts: JobLogFacts; bytes: number }>();
  /** Estimated bytes of the held snapshots' attributes. */
  bytes = 0;

  constructor(
    private readonly maxSnapshots: number,
    private readonly maxBytes: number,
  ) {}

  get size(): number {
    return this.byKey.size;
  }

  get(key: string): JobLogFacts | undefined {
    return this.byKey.get(key)?.facts;
  }

  set(key: string, facts: JobLogFacts): void {
    const old = this.byKey.get(key);
    if (old !== undefined) {
      this.bytes -= old.bytes;
      this.byKey.delete(key);
    }
    const bytes = attributeBytes(facts.attributes);
    this.byKey.set(key, { facts, bytes });
    this.bytes += bytes;
    // The newest always stays, even alone past the budget: it is the one explain is asked about next.
    for (const [oldest, entry] of this.byKey) {
      if (this.byKey.size <= 1 || (this.byKey.size <= this.maxSnapshots && this.bytes <= this.maxBytes))
        break;
      this.byKey.delete(oldest);
      this.bytes -= entry.bytes;
    }
  }
}
