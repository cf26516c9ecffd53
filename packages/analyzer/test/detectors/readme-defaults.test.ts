import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { builtInDetectors } from '../../src/detectors/built-in-detectors.js';

const README = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

/** Rows of the README's detector table: | `type` | `option` | default | meaning |. */
function documentedDefaults(): Record<string, Record<string, number>> {
  const table: Record<string, Record<string, number>> = {};
  for (const match of README.matchAll(/^\| `(\w+)` \| `(\w+)` \| ([\d.]+) \|/gm)) {
    table[match[1]] ??= {};
    table[match[1]][match[2]] = Number(match[3]);
  }
  return table;
}

describe('the analyzer README', () => {
  it('documents every detector option with the default the code uses', () => {
    const documented = documentedDefaults();
    for (const detector of builtInDetectors.detectors) {
      expect(documented[detector.type], detector.type).toEqual(detector.defaults);
    }
  });
});
