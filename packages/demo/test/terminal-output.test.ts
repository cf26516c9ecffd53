import { describe, expect, it } from 'vitest';
import { TerminalOutput } from '../src/terminal-output.js';

function capture() {
  const chunks: string[] = [];
  return { stream: { write: (text: string) => chunks.push(text) }, text: () => chunks.join('') };
}

describe('TerminalOutput', () => {
  it('rewrites one status line in place on a TTY and keeps findings above it', () => {
    const sink = capture();
    const out = new TerminalOutput(sink.stream, true);
    out.progress('1s elapsed');
    out.line('a finding');
    out.progress('2s elapsed');
    expect(sink.text()).toBe('\r\x1b[2K1s elapsed\r\x1b[2Ka finding\n1s elapsed\r\x1b[2K2s elapsed');
  });

  it('prints progress as plain lines no more often than asked when not on a TTY', () => {
    const sink = capture();
    const out = new TerminalOutput(sink.stream, false, 10_000);
    out.progress('at 0', 100_000);
    out.progress('at 5', 105_000);
    out.line('a finding');
    out.progress('at 10', 110_000);
    expect(sink.text()).toBe('at 0\na finding\nat 10\n');
  });

  it('strips control characters from the text it is given, keeping its own status escapes', () => {
    const sink = capture();
    const out = new TerminalOutput(sink.stream, true);
    out.progress('1s\r\x1b[2J elapsed');
    out.line('job \x1b]0;pwned\x07render\x9b2J\u202egnp.exe done');
    expect(sink.text()).toBe('\r\x1b[2K1s elapsed\r\x1b[2Kjob render2Jgnp.exe done\n1s elapsed');
  });
});
