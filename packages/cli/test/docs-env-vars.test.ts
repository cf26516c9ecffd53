import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { listMarkdownFiles } from './markdown-command-lines.js';

const ROOT = resolve(import.meta.dirname, '../../..');

/** The TypeScript and JavaScript sources in each package's `src` folder, one text per file. */
function packageSources(): string[] {
  const sources: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (/\.(ts|mts|js|mjs)$/.test(entry.name)) sources.push(readFileSync(path, 'utf8'));
    }
  };
  for (const name of readdirSync(join(ROOT, 'packages'))) {
    const src = join(ROOT, 'packages', name, 'src');
    if (existsSync(src)) walk(src);
  }
  return sources;
}

describe('the JOBLENS_* variables in the Markdown files', () => {
  it('are each read somewhere in the packages, under the name the docs give', () => {
    const named = new Map<string, string>();
    for (const file of listMarkdownFiles(ROOT)) {
      const text = readFileSync(join(ROOT, file), 'utf8');
      for (const match of text.matchAll(/\bJOBLENS_[A-Z][A-Z0-9_]*\b/g)) named.set(match[0], file);
    }
    expect(named.size).toBeGreaterThan(5);
    const sources = packageSources();
    const unread = [...named].filter(([name]) => !sources.some((source) => source.includes(name)));
    expect(unread.map(([name, file]) => `${file}: ${name}`)).toEqual([]);
  });
});
