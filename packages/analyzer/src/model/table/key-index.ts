/**
 * Finds a table's row by its key. The owner keeps the rows (in columns, a ring, ...); the index only maps
 * keys to row numbers in `[0, maxRows)`, and each key to at most one row.
 */
export interface KeyIndex<K> {
  /** Keys held. */
  readonly size: number;
  /** The row stored under `key`, or -1. */
  get(key: K): number;
  /** Stores `row` under `key`; the key must not be held yet, and the row must be below the bound. */
  set(key: K, row: number): void;
  /** Removes `key`; false when it was not held. */
  delete(key: K): boolean;
  /** Removes whatever key `row` is stored under (eviction knows the row, not always its key); false when none. */
  deleteRow(row: number): boolean;
}

/**
 * How an owner's keys hash and compare. `matches` reads the key from the owner's own columns, so that an
 * index over rows of several fields (service, queue, job id) needs no key string built per lookup.
 */
export interface RowKeys<K> {
  hash(key: K): number;
  /** Whether `row` (held in the index) is the row of `key`: asked only when the hashes match. */
  matches(row: number, key: K): boolean;
}

/** Throws unless `row` is a row number below `maxRows`. */
export function checkRow(row: number, maxRows: number): void {
  if (!Number.isInteger(row) || row < 0 || row >= maxRows)
    throw new RangeError(`row must be an integer in [0, ${maxRows}), got ${row}`);
}
