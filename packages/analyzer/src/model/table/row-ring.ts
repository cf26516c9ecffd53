/**
 * Hands out the row numbers of a table whose rows live in the owner's columns, and keeps them in the
 * order they were taken. Once `capacity` rows are held, taking one more evicts the oldest first; before
 * that, nothing is evicted, whatever was released in between (a released row is taken again from a free
 * list). A plain ring evicted the holder of its next row in turn, so after it wrapped, a row taken long
 * ago and still in use went while the table was nearly empty. Rows keep their numbers for life (the
 * columns grow, they are never laid out again), so a KeyIndex can point at them. The room grows by
 * doubling, as rows come, up to the capacity.
 */
export class RowRing {
  readonly capacity: number;
  /** Rows the owner's columns have room for. */
  private allocatedRows = 0;
  /** Rows ever handed out: the next fresh row, while the free list is empty. */
  private fresh = 0;
  /** Whether a row is held. */
  private held = new Uint8Array(0);
  /** The order of taking, as a doubly linked list of held rows; -1 ends it. */
  private before = new Int32Array(0);
  private after = new Int32Array(0);
  private first = -1;
  private last = -1;
  /** Released rows, taken again before fresh ones. */
  private free = new Int32Array(0);
  private freeCount = 0;
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

  /** Rows the columns have room for: scans by row number go up to this. */
  get allocated(): number {
    return this.allocatedRows;
  }

  /** The oldest held row, -1 when none. */
  get oldest(): number {
    return this.first;
  }

  /** The held row taken after `row`, -1 after the newest. */
  next(row: number): number {
    return this.after[row];
  }

  isHeld(row: number): boolean {
    return this.held[row] === 1;
  }

  /** A row to fill: a released one, else a fresh one; when all are held, the oldest's, evicted first. */
  take(): number {
    if (this.count === this.capacity) {
      const oldest = this.first;
      this.release(oldest);
      this.evict(oldest);
    }
    let row: number;
    if (this.freeCount > 0) {
      this.freeCount -= 1;
      row = this.free[this.freeCount];
    } else {
      if (this.fresh === this.allocatedRows) this.growRoom();
      row = this.fresh;
      this.fresh += 1;
    }
    this.held[row] = 1;
    this.before[row] = this.last;
    this.after[row] = -1;
    if (this.last === -1) this.first = row;
    else this.after[this.last] = row;
    this.last = row;
    this.count += 1;
    return row;
  }

  /** Lets go of a held row (pruning); it is taken again before any fresh one. False when it was not held. */
  release(row: number): boolean {
    if (this.held[row] !== 1) return false;
    this.held[row] = 0;
    const previous = this.before[row];
    const following = this.after[row];
    if (previous === -1) this.first = following;
    else this.after[previous] = following;
    if (following === -1) this.last = previous;
    else this.before[following] = previous;
    this.free[this.freeCount] = row;
    this.freeCount += 1;
    this.count -= 1;
    return true;
  }

  private growRoom(): void {
    const size = Math.min(this.capacity, Math.max(this.initialRows, this.allocatedRows * 2));
    this.held = grown(this.held, new Uint8Array(size));
    this.before = grown(this.before, new Int32Array(size));
    this.after = grown(this.after, new Int32Array(size));
    this.free = grown(this.free, new Int32Array(size));
    this.grow(size);
    this.allocatedRows = size;
  }
}

/** `into` (a larger typed array of the same kind) with `from` copied to its start. */
function grown<T extends Uint8Array | Int32Array>(from: T, into: T): T {
  into.set(from);
  return into;
}
