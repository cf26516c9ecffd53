import { isValidSpanId, isValidTraceId } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import { AttemptIds } from '../src/otel/attempt-ids.js';

describe('attempt ids', () => {
  it('are valid W3C ids, all different, across many refills of the pool', () => {
    const ids = new AttemptIds();
    const traces = new Set<string>();
    const spans = new Set<string>();
    for (let i = 0; i < 2000; i++) {
      const root = ids.traceAndSpan();
      const child = ids.span();
      expect(isValidTraceId(root.traceId) && isValidSpanId(root.spanId) && isValidSpanId(child)).toBe(true);
      traces.add(root.traceId);
      spans.add(root.spanId).add(child);
    }
    expect(traces.size).toBe(2000);
    expect(spans.size).toBe(4000);
  });
});
