import { RowRing } from './row-ring.js';

/** A column of numbers, one per row, in a typed array: no boxed number for the GC to copy or mark. */
export class NumberColumn {
  /** The rows' values; replaced (not resized) when the table grows, so read it through the column. */
  values = new Float64Array(0);

  constructor(
    /** What a row holds before it is written. */
    readonly empty: number,
  ) {}

  get(row: number): number {
    return this.values[row];
  }

  set(row: number, value: number): void {
    this.values[row] = value;
  }

  /** Gives the column room for `size` rows, keeping the values of the rows below the old size. */
  grow(size: number): void {
    const values = new Float64Array(size).fill(this.empty);
    values.set(this.values);
    this.values = values;
  }
}

/** A column of references (strings, objects), one per row. */
export class RefColumn<T> {
  /** Packed, not holey: grown by push. */
  readonly values: T[] = [];

  constructor(
    /** What a row holds before it is written, and again once it is let go of (so it holds nothing). */
    readonly empty: T,
  ) {}

  get(row: number): T {
    return this.values[row];
  }

  set(row: number, value: T): void {
    this.values[row] = value;
  }

  grow(size: number): void {
    for (let row = this.values.length; row < size; row++) this.values.push(this.empty);
  }

  clear(row: number): void {
    this.values[row] = this.empty;
  }
}

/**
 * The storage of a columnar table: rows from a RowRing (kept in the order taken; once `capacity` are
 * held the oldest makes room) and the columns the owner declares, grown together as rows come. Rows keep their
 * numbers for life, so a KeyIndex can point at them. The owner keeps only what rows mean; how they are
 * held is here.
 *
 * Why columns rather than an object per row: at 100k rows, each object (with its boxed numbers) is work
 * for the young-generation GC to copy and the old generation to mark, on the ingest path.
 */
export class RowColumns {
  private readonly ring: RowRing;
  private readonly numbers: NumberColumn[] = [];
  private readonly refs: RefColumn<unknown>[] = [];

  constructor(
    capacity: number,
    /**
     * Hears of a row about to be let go of (evicted to make room, or released), while its columns still
     * hold its values: the owner drops its key from its index here.
     */
    private readonly onDrop: (row: number) => void,
  ) {
    this.ring = new RowRing(
      capacity,
      (size) => this.growColumns(size),
      (row) => this.dropped(row),
    );
  }

  /** Declares a column of numbers; declare every column before the first `take`. */
  numberColumn(empty = 0): NumberColumn {
    const column = new NumberColumn(empty);
    this.numbers.push(column);
    return column;
  }

  /** Declares a column of references. */
  refColumn<T>(empty: T): RefColumn<T> {
    const column = new RefColumn(empty);
    this.refs.push(column as RefColumn<unknown>);
    return column;
  }

  get capacity(): number {
    return this.ring.capacity;
  }

  /** Rows held. */
  get size(): number {
    return this.ring.size;
  }

  /** Rows the columns have room for (the bound of a scan by row number). */
  get allocated(): number {
    return this.ring.allocated;
  }

  /** A row to fill; when all are held, the oldest is dropped first. */
  take(): number {
    return this.ring.take();
  }

  /** Lets go of a held row; false when it was not held. */
  release(row: number): boolean {
    if (!this.ring.release(row)) return false;
    this.dropped(row);
    return true;
  }

  /** Held rows, oldest first. Read them before the table changes: the walk follows the rows' links. */
  *heldRows(): Generator<number> {
    for (let row = this.ring.oldest; row !== -1; row = this.ring.next(row)) yield row;
  }

  private dropped(row: number): void {
    this.onDrop(row);
    // References go back to empty, so that an id or a key is not held for a row that no longer is.
    for (const column of this.refs) column.clear(row);
  }

  private growColumns(size: number): void {
    for (const column of this.numbers) column.grow(size);
    for (const column of this.refs) column.grow(size);
  }
}
