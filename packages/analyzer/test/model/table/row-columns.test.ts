import { describe, expect, it } from 'vitest';
import { RowColumns } from '../../../src/model/table/row-columns.js';

describe('RowColumns', () => {
  it('keeps every column’s values by row as the columns grow', () => {
    const rows = new RowColumns(5000, () => {});
    const times = rows.numberColumn();
    const names = rows.refColumn('');
    for (let n = 0; n < 3000; n++) {
      const row = rows.take();
      times.set(row, n * 10);
      names.set(row, `job-${n}`);
    }
    expect(rows.allocated).toBeGreaterThanOrEqual(3000);
    expect(times.get(0)).toBe(0);
    expect(times.get(2999)).toBe(29_990);
    expect(names.get(1234)).toBe('job-1234');
  });

  it('tells the owner of a row it drops while the row still holds its values, then empties its references', () => {
    const heard: string[] = [];
    const rows = new RowColumns(2, (row) => heard.push(`${row}:${ids.get(row)}:${times.get(row)}`));
    const ids = rows.refColumn('');
    const times = rows.numberColumn();
    for (const id of ['a', 'b', 'c']) {
      const row = rows.take();
      ids.set(row, id);
      times.set(row, id.charCodeAt(0));
    }
    expect(heard).toEqual(['0:a:97']);
    expect(ids.get(0)).toBe('c');
    expect(rows.release(1)).toBe(true);
    expect(rows.release(1)).toBe(false);
    expect(heard).toEqual(['0:a:97', '1:b:98']);
    expect(ids.get(1)).toBe('');
    expect(rows.size).toBe(1);
  });

  it('lists held rows oldest first, across the wrap of the ring', () => {
    const rows = new RowColumns(4, () => {});
    rows.numberColumn();
    for (let n = 0; n < 6; n++) rows.take(); // rows 0..3, then 0 and 1 again
    rows.release(3);
    expect([...rows.heldRows()]).toEqual([2, 0, 1]);
  });

  it('starts a number column at its empty value', () => {
    const rows = new RowColumns(10, () => {});
    const unknown = rows.numberColumn(Number.NaN);
    expect(unknown.get(rows.take())).toBeNaN();
  });
});
