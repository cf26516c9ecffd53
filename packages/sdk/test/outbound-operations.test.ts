import { describe, expect, it } from 'vitest';
import { MAX_TRACKED_OPERATIONS, OutboundOperations } from '../src/waiting/outbound-operations.js';

describe('the open calls of one attempt', () => {
  it('lists the longest open first, with how long each has been open', () => {
    const calls = new OutboundOperations();
    calls.open('GET http://b:80/', 2_000);
    calls.open('GET http://a:80/', 1_000);
    expect(calls.summary(5_000, 10)).toEqual({
      count: 2,
      operations: [
        { description: 'GET http://a:80/', openSeconds: 4 },
        { description: 'GET http://b:80/', openSeconds: 3 },
      ],
    });
  });

  it('forgets a call once it finishes, even when its end is reported twice', () => {
    const calls = new OutboundOperations();
    const first = calls.open('GET http://a:80/', 0);
    const second = calls.open('GET http://b:80/', 0);
    calls.close(first);
    calls.close(first);
    expect(calls.summary(1_000, 10).operations.map((o) => o.description)).toEqual(['GET http://b:80/']);
    calls.close(second);
    expect(calls.summary(1_000, 10)).toEqual({ count: 0, operations: [] });
  });

  it('tracks a bounded number one by one and only counts the rest', () => {
    const calls = new OutboundOperations();
    const handles = Array.from({ length: MAX_TRACKED_OPERATIONS + 5 }, (_, i) =>
      calls.open(`GET http://h:80/${i}`, i),
    );
    expect(calls.count).toBe(MAX_TRACKED_OPERATIONS + 5);
    const summary = calls.summary(100, 10);
    expect(summary.operations).toHaveLength(10);
    expect(summary.operations[0].description).toBe('GET http://h:80/0');
    // A counted call that ends leaves the count, once.
    const untracked = handles[MAX_TRACKED_OPERATIONS + 1];
    calls.close(untracked);
    calls.close(untracked);
    expect(calls.count).toBe(MAX_TRACKED_OPERATIONS + 4);
  });
});
