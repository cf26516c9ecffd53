import { describe, expect, it } from 'vitest';
import { blockingFunctionOf, parseStackFrame } from '../../src/detectors/blocking-frame.js';

describe('the blocking function of a blocked loop', () => {
  it("is the innermost frame when it is the app's own code", () => {
    expect(
      blockingFunctionOf(['layoutPage (src/render.js:42:7)', 'renderInvoice (src/jobs/invoice.js:18:10)']),
    ).toBe('layoutPage (src/render.js:42)');
  });

  it("names the dependency's frame and the app's frame that called it", () => {
    expect(
      blockingFunctionOf([
        'measureText (node_modules/pdf-layout/lib/measure.js:210:13)',
        'scan (node:internal/some:1:1)',
        'layoutPage (src/render.js:42:7)',
      ]),
    ).toBe(
      'measureText (node_modules/pdf-layout/lib/measure.js:210) called from layoutPage (src/render.js:42)',
    );
  });

  it("is the innermost frame when no frame is the app's", () => {
    expect(blockingFunctionOf(['processTimers (node:internal/timers:519:7)'])).toBe(
      'processTimers (node:internal/timers:519)',
    );
  });

  it('quotes a frame of another shape as it came, and is undefined without a stack', () => {
    expect(blockingFunctionOf(['at layoutPage src/render.js'])).toBe('at layoutPage src/render.js');
    expect(blockingFunctionOf([])).toBeUndefined();
    expect(blockingFunctionOf(undefined)).toBeUndefined();
  });

  it('reads a function name that holds spaces and parentheses up to the location', () => {
    expect(parseStackFrame('Renderer.get title (x) (src/a.js:3:4)')).toEqual({
      functionName: 'Renderer.get title (x)',
      path: 'src/a.js',
      line: 3,
      library: false,
    });
  });
});
