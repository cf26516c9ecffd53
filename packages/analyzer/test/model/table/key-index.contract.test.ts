import { hashText } from '../../../src/model/table/hash.js';
import { HashedKeyIndex } from '../../../src/model/table/hashed-key-index.js';
import type { KeyIndex } from '../../../src/model/table/key-index.js';
import { MapKeyIndex } from '../../../src/model/table/map-key-index.js';
import { StringKeyIndex } from '../../../src/model/table/string-key-index.js';
import { describeKeyIndexContract } from './key-index-contract.js';

describeKeyIndexContract('MapKeyIndex', (maxRows) => new MapKeyIndex(maxRows));

describeKeyIndexContract('StringKeyIndex', (maxRows) => new StringKeyIndex(maxRows));

// Four hash values for every key: probe runs wrap around the table and deletes shift entries back over
// the wrap, which keys hashed well almost never reach in a few hundred operations.
describeKeyIndexContract(
  'StringKeyIndex with colliding hashes',
  (maxRows) => new StringKeyIndex(maxRows, 8, (key) => (hashText(key) & 3) * 5),
);

/**
 * A HashedKeyIndex whose keys live in its owner's column, as the job table's do: the owner writes the
 * column before it sets the row, and leaves it as it is on delete.
 */
class OwnerColumn implements KeyIndex<string> {
  private readonly column: string[] = [];
  private readonly index: HashedKeyIndex<string>;

  constructor(maxRows: number, hash: (key: string) => number) {
    this.index = new HashedKeyIndex<string>(
      { hash, matches: (row, key) => this.column[row] === key },
      maxRows,
    );
  }

  get size(): number {
    return this.index.size;
  }

  get(key: string): number {
    return this.index.get(key);
  }

  set(key: string, row: number): void {
    this.column[row] = key;
    this.index.set(key, row);
  }

  delete(key: string): boolean {
    return this.index.delete(key);
  }

  deleteRow(row: number): boolean {
    return this.index.deleteRow(row);
  }
}

describeKeyIndexContract(
  'HashedKeyIndex over an owner column',
  (maxRows) => new OwnerColumn(maxRows, hashText),
);

describeKeyIndexContract(
  'HashedKeyIndex over an owner column, colliding hashes',
  (maxRows) => new OwnerColumn(maxRows, (key) => hashText(key) & 1),
);
