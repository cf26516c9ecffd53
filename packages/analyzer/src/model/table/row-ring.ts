/**
 * Hands out the row numbers of a table whose rows live in the owner's columns, in a ring: rows are taken
 * in order, and once `capacity` rows are held the next row taken is the oldest one's, which is evicted
 * first. Rows keep their numbers for life (the columns grow, they are never laid out again), so a
 * KeyIndex can point at them. The room grows by doubling, as rows come, up to the capacity.
 */
export class RowRing {
  readonly capacity: number;
  /** Rows the owner's columns have room for. */
  private allocatedRows = 0;
  /** Whether a row is held. */
  private held = new Uint8Array(0);
  /** The row `take` hands out next: the oldest held row's once the ring has wrapped. */
  private next = 0;
  private count = 0;

  constructor(
    capacity: number,
    /** Gives the owner's columns room for `size` rows (they keep rows below the old size as they were). */
    private readonly grow: (size: number) => void,
    /** Empties the owner's columns of a held row that `take` is about to hand out again. */
    private readonly evict: (row: number) => void,
    private readonly initialRows = 1024,
  ) {
    this.capacity = Math.max(1, Math.floor(capacity));
  }

  /** Rows held. */
  get size(): number {
    return this.count;
  }

  /** Rows the columns have room for: scans go up to this. */
  get allocated(): number {
    return this.allocatedRows;
  }

  /** The oldest row, where a scan in order of taking starts (an unused one before the first wrap). */
  get oldest(): number {
    return this.next;
  }

  isHeld(row: number): boolean {
    return this.held[row] === 1;
  }

  /** The next row of the ring, evicted first when it is still held. */
  take(): number {
    const row = this.next;
    if (row === this.allocatedRows) this.growRoom();
    this.next = (row + 1) % this.capacity;
    if (this.held[row] === 1) {
      this.release(row);
      this.evict(row);
    }
    this.held[row] = 1;
    this.count += 1;
    return row;
  }

  /** Lets go of a held row (pruning); the ring takes it again in its turn. False when it was not held. */
  release(row: number): boolean {
    if (this.held[row] !== 1) return false;
    this.held[row] = 0;
    this.count -= 1;
    return true;
  }

  private growRoom(): void {
    const size = Math.min(this.capacity, Math.max(this.initialRows, this.allocatedRows * 2));
    const held = new Uint8Array(size);
    held.set(this.held);
    this.held = held;
    this.grow(size);
    this.allocatedRows = size;
  }
}
