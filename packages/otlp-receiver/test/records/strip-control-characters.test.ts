import { describe, expect, it } from 'vitest';
import { stripControlCharacters } from '../../src/records/strip-control-characters.js';

describe('stripControlCharacters', () => {
  it('removes whole escape sequences: a title change, a screen clear, colours', () => {
    expect(stripControlCharacters('a\x1b]0;pwned\x07b\x1b[2Jc\x1b[31;1md\x1b[0m')).toBe('abcd');
    expect(stripControlCharacters('title \x1b]2;x\x1b\\kept')).toBe('title kept');
  });

  it('removes carriage returns, other C0 and C1 controls, DEL and bidi overrides', () => {
    expect(stripControlCharacters('ok\rfake\x00\x08\x7f\x9b2J\u202eexe.txt')).toBe('okfake2Jexe.txt');
  });

  it('keeps newlines and tabs unless asked for one line', () => {
    expect(stripControlCharacters('a\n\tb')).toBe('a\n\tb');
    expect(stripControlCharacters('a\n\tb', { singleLine: true })).toBe('ab');
  });

  it('keeps ordinary text of any script as it is', () => {
    const text = 'render-invoice für Zoë — 請求書 ✓';
    expect(stripControlCharacters(text)).toBe(text);
  });
});
