import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readRepoText, readRepoYaml, repoPath } from './repo-files.js';

/** Instructions of a Dockerfile, with continuation lines joined. */
function instructions(text: string): { op: string; args: string }[] {
  return text
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      const [op, ...rest] = line.split(/\s+/);
      return { op: op.toUpperCase(), args: rest.join(' ') };
    });
}

describe('the Dockerfile', () => {
  const steps = instructions(readRepoText('Dockerfile'));
  const ignored = readRepoText('.dockerignore')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));

  it('builds only from files in this repository', () => {
    expect(steps.filter((step) => step.op === 'ADD')).toEqual([]);
    const copies = steps.filter((step) => step.op === 'COPY' && !step.args.includes('--from'));
    expect(copies.length).toBeGreaterThan(0);
    for (const copy of copies) {
      const sources = copy.args.split(/\s+/).slice(0, -1);
      for (const source of sources) {
        expect(source, 'a URL').not.toMatch(/^https?:/);
        expect(existsSync(repoPath(source)), `COPY source ${source}`).toBe(true);
        expect(ignored, `COPY source ${source} is in .dockerignore`).not.toContain(source);
      }
    }
  });

  it('starts from a pinned Node 20 image and installs with the pinned pnpm and the lockfile', () => {
    const [from] = steps.filter((step) => step.op === 'FROM');
    expect(from.args).toMatch(/^node:20\.\d+\.\d+-/);
    const runs = steps.filter((step) => step.op === 'RUN').map((step) => step.args);
    expect(runs).toContainEqual(expect.stringMatching(/npx (-y )?pnpm@9\.15\.9 install --frozen-lockfile/));
  });

  it('keeps dependencies installed on the host out of the build context', () => {
    expect(ignored).toContain('**/node_modules');
  });

  it('runs the analyzer the way the compose file and the Collector expect', () => {
    const compose = readRepoYaml('docker-compose.yml');
    expect(compose.services.analyzer.build).toBe('.');
    expect(compose.services.analyzer.command).toEqual([
      'serve',
      '--host',
      '0.0.0.0',
      '--otlp-port',
      '14318',
      '--port',
      '4320',
      '--data-dir',
      '/data',
    ]);
    const [entrypoint] = steps.filter((step) => step.op === 'ENTRYPOINT');
    expect(JSON.parse(entrypoint.args)).toEqual(['node', 'packages/cli/bin/joblens.js']);
  });
});
