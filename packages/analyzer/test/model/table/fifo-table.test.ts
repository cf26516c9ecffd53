import { describe, expect, it } from 'vitest';
import { FifoTable } from '../../../src/model/table/fifo-table.js';

describe('FifoTable', () => {
  it('reads slots by position from the oldest, holes included, across growth and the wrap', () => {
    const table = new FifoTable<number>(1500);
    for (let n = 0; n < 2000; n++) table.set(`k${n}`, n); // grows past 1024, then evicts 500
    expect(table.length).toBe(1500);
    expect(table.at(0)).toBe(500);
    expect(table.at(1499)).toBe(1999);
    table.delete('k501');
    expect(table.at(1)).toBeUndefined();
    expect(table.length).toBe(1500);
    expect(table.size).toBe(1499);
    expect(table.get('k1999')).toBe(1999);
  });

  it('drops the oldest slot on shift, a hole as well as an entry, without calling it evicted', () => {
    const evicted: string[] = [];
    const table = new FifoTable<string>(10, (key) => evicted.push(key));
    table.set('a', 'A');
    table.set('b', 'B');
    table.set('c', 'C');
    table.delete('a');
    expect(table.shift()).toBeUndefined();
    expect(table.shift()).toBe('B');
    expect(table.get('b')).toBeUndefined();
    expect(table.length).toBe(1);
    expect(table.oldestKey()).toBe('c');
    expect(evicted).toEqual([]);
    expect(table.shift()).toBe('C');
    expect(table.shift()).toBeUndefined();
  });
});
