import { describe, expect, it } from 'vitest';
import { createDefaultOnError } from '../src/default-on-error.js';

describe('the default onError', () => {
  it('writes one stderr line per kind of error, muting repeats that differ only in numbers', () => {
    const lines: string[] = [];
    const onError = createDefaultOnError((line) => lines.push(line));
    onError(new Error('connect ECONNREFUSED 127.0.0.1:4318'));
    onError(new Error('connect ECONNREFUSED 127.0.0.1:4318'));
    onError(new Error('connect ECONNREFUSED 127.0.0.1:4319'));
    onError(new Error('Dropped 12 spans because maxQueueSize reached'));
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^joblens: warning: connect ECONNREFUSED 127\.0\.0\.1:4318/);
    expect(lines[1]).toContain('Dropped 12 spans');
  });

  it('caps the lines per minute even when every error is different', () => {
    const lines: string[] = [];
    const onError = createDefaultOnError((line) => lines.push(line));
    for (const word of 'alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu'.split(' '))
      onError(new Error(`failure ${word}`));
    expect(lines).toHaveLength(10);
  });

  it('names the cause when there is one', () => {
    const lines: string[] = [];
    createDefaultOnError((line) => lines.push(line))(
      new Error('sampling queue emails', { cause: new Error('redis down') }),
    );
    expect(lines[0]).toContain('sampling queue emails (cause: redis down)');
  });
});
