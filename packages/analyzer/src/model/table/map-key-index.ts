import { checkRow, type KeyIndex } from './key-index.js';

/**
 * A KeyIndex on a Map: the plain reference the hashed indexes are tested against, and a fit for small
 * tables where a Map's per-entry cost does not matter.
 */
export class MapKeyIndex implements KeyIndex<string> {
  private readonly rows = new Map<string, number>();
  private readonly keysByRow = new Map<number, string>();

  constructor(private readonly maxRows: number) {}

  get size(): number {
    return this.rows.size;
  }

  get(key: string): number {
    return this.rows.get(key) ?? -1;
  }

  set(key: string, row: number): void {
    checkRow(row, this.maxRows);
    this.rows.set(key, row);
    this.keysByRow.set(row, key);
  }

  delete(key: string): boolean {
    const row = this.rows.get(key);
    if (row === undefined) return false;
    this.rows.delete(key);
    this.keysByRow.delete(row);
    return true;
  }

  deleteRow(row: number): boolean {
    const key = this.keysByRow.get(row);
    return key !== undefined && this.delete(key);
  }
}
