import { hashText } from './hash.js';
import { HashedKeyIndex } from './hashed-key-index.js';
import type { KeyIndex } from './key-index.js';

/**
 * A HashedKeyIndex over string keys that keeps each row's key itself, for owners whose key is one string
 * (an attempt's trace + span id). It holds a reference to the owner's string, not a copy.
 */
export class StringKeyIndex implements KeyIndex<string> {
  /** Each row's key, '' once deleted (so the string is not held for nothing). */
  private readonly keys: string[] = [];
  private readonly index: HashedKeyIndex<string>;

  /** `hash` is for tests that need keys to collide; tables use the shared `hashText`. */
  constructor(maxRows: number, expectedRows = 8, hash: (key: string) => number = hashText) {
    const keys = this.keys;
    this.index = new HashedKeyIndex<string>(
      { hash, matches: (row, key) => keys[row] === key },
      maxRows,
      expectedRows,
    );
  }

  get size(): number {
    return this.index.size;
  }

  get(key: string): number {
    return this.index.get(key);
  }

  /** The key held for `row`, '' when none. */
  keyOf(row: number): string {
    return this.keys[row] ?? '';
  }

  set(key: string, row: number): void {
    this.index.set(key, row);
    // Appended in order, so that the array stays packed rather than holey.
    while (this.keys.length <= row) this.keys.push('');
    this.keys[row] = key;
  }

  delete(key: string): boolean {
    const row = this.index.get(key);
    if (row === -1) return false;
    this.index.deleteRow(row);
    this.keys[row] = '';
    return true;
  }

  deleteRow(row: number): boolean {
    if (!this.index.deleteRow(row)) return false;
    this.keys[row] = '';
    return true;
  }
}
