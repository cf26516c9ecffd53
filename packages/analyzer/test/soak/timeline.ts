import type { LogRecordData, MetricPointRecord, SpanRecord } from '@joblens/otlp-receiver';

/** Records that reach the analyzer together, at one instant of the simulated clock. */
export type Delivery =
  | { atMs: number; spans: SpanRecord[] }
  | { atMs: number; logs: LogRecordData[] }
  | { atMs: number; points: MetricPointRecord[] };

/** What a simulated fleet sends, collected in any order and handed out in arrival order. */
export class Timeline {
  private readonly deliveries: { delivery: Delivery; sequence: number }[] = [];

  constructor(readonly endMs: number) {}

  spans(atMs: number, spans: SpanRecord[]): void {
    this.add({ atMs, spans });
  }

  logs(atMs: number, logs: LogRecordData[]): void {
    this.add({ atMs, logs });
  }

  points(atMs: number, points: MetricPointRecord[]): void {
    this.add({ atMs, points });
  }

  private add(delivery: Delivery): void {
    // Anything sent after the end of the run is never seen: the run stops there.
    if (delivery.atMs <= this.endMs) this.deliveries.push({ delivery, sequence: this.deliveries.length });
  }

  /** By arrival time; records sent at the same instant keep the order they were sent in. */
  inArrivalOrder(): Delivery[] {
    return [...this.deliveries]
      .sort((a, b) => a.delivery.atMs - b.delivery.atMs || a.sequence - b.sequence)
      .map((entry) => entry.delivery);
  }
}

/** Deterministic pseudo-random numbers, so a failing run replays exactly. */
export class SeededRandom {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  next(): number {
    this.state = (Math.imul(this.state, 1664525) + 1013904223) >>> 0;
    return this.state / 2 ** 32;
  }

  between(low: number, high: number): number {
    return low + (high - low) * this.next();
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }
}
