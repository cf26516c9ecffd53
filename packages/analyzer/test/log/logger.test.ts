import { describe, expect, it } from 'vitest';
import { formatLogLine, MemoryLogger } from '../../src/log/logger.js';

describe('formatLogLine', () => {
  it('prefixes the message with joblens and keeps it on one line', () => {
    expect(formatLogLine('the finding store works again')).toBe('joblens: the finding store works again');
    expect(formatLogLine('two\nlines')).toBe('joblens: two lines');
  });

  it("appends the cause's message and the messages of its causes", () => {
    const cause = new Error('saving findings', { cause: new Error('SQLITE_BUSY: database is locked') });
    expect(formatLogLine('evaluation failed', cause)).toBe(
      'joblens: evaluation failed: saving findings: SQLITE_BUSY: database is locked',
    );
    expect(formatLogLine('gave up', 'a string')).toBe('joblens: gave up: a string');
  });
});

describe('MemoryLogger', () => {
  it('keeps each line with its level, without the prefix', () => {
    const logger = new MemoryLogger();
    logger.info('works again');
    logger.warn('detector retry_storm failed: boom');
    logger.error('rendering / failed', new Error('no view'));
    expect(logger.lines).toEqual([
      { level: 'info', text: 'works again' },
      { level: 'warn', text: 'detector retry_storm failed: boom' },
      { level: 'error', text: 'rendering / failed: no view' },
    ]);
  });
});
