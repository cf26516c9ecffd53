import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { fingerprintText, hashText } from '../../../src/model/table/hash.js';

describe('hashText', () => {
  it('spreads keys that differ only in their last character over different low bits', () => {
    const low = new Set<number>();
    for (let n = 0; n < 16; n++) low.add(hashText(`job-${n.toString(16)}`, 0x811c9dc5) & 0xff);
    expect(low.size).toBeGreaterThan(12);
  });

  it('is seeded per process, so that ids picked to collide in one process do not in another', () => {
    const module = new URL('../../../src/model/table/hash.ts', import.meta.url).href;
    const script = `import(${JSON.stringify(module)}).then((m) => console.log(m.hashText('job-1')))`;
    const run = () => execFileSync(process.execPath, ['--import', 'tsx', '-e', script], { encoding: 'utf8' });
    expect(run()).not.toBe(run());
  });

  it('depends on the seed, so that hashes of several fields can be chained', () => {
    expect(hashText('emails', hashText('a'))).not.toBe(hashText('emails', hashText('b')));
  });
});

describe('fingerprintText', () => {
  it('takes its high half from hashText and never gives (0, 0), which marks a free slot', () => {
    const print = { high: 0, low: 0 };
    for (const key of ['', 'a', 'job-1', '0123456789abcdef']) {
      fingerprintText(key, print);
      expect(print.high).toBe(hashText(key));
      expect(print.high !== 0 || print.low !== 0).toBe(true);
    }
  });

  it('gives halves that collide independently: no two of 20k keys share both', () => {
    const print = { high: 0, low: 0 };
    const seen = new Set<string>();
    for (let n = 0; n < 20_000; n++) {
      fingerprintText(`trace-${n}-span-${n * 7}`, print);
      seen.add(`${print.high}:${print.low}`);
    }
    expect(seen.size).toBe(20_000);
  });
});
