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
    for (const from of steps.filter((step) => step.op === 'FROM')) {
      expect(from.args).toMatch(/^node:20\.\d+\.\d+-/);
    }
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
    expect(JSON.parse(entrypoint.args)).toEqual(['node', '/app/node_modules/@joblens/cli/bin/joblens.js']);
  });

  it('runs built JavaScript in a final stage without tsx or build tools, as a user other than root', () => {
    const stages = readRepoText('Dockerfile')
      .split(/^FROM /m)
      .slice(1);
    expect(stages.length).toBeGreaterThanOrEqual(2);
    const final = instructions(`FROM ${stages.at(-1)}`);
    const text = final.map((step) => `${step.op} ${step.args}`).join('\n');
    expect(text).not.toMatch(/tsx|g\+\+|python3|pnpm|apt-get install/);
    const users = final.filter((step) => step.op === 'USER').map((step) => step.args);
    expect(users.at(-1)).toBeDefined();
    expect(users.at(-1)).not.toMatch(/^(root|0)$/);
    expect(final.filter((step) => step.op === 'COPY').map((step) => step.args)).toEqual([
      expect.stringMatching(/^--from=build \/app \/app$/),
    ]);
  });

  it("starts compose's demo workers from the built module, not through tsx", () => {
    const compose = readRepoYaml('docker-compose.yml');
    const workers = Object.entries(compose.services as Record<string, { entrypoint?: string[] }>).filter(
      ([name]) => name.startsWith('demo-worker'),
    );
    expect(workers.length).toBeGreaterThan(0);
    for (const [name, service] of workers) {
      expect(service.entrypoint, name).toEqual(['node', '/app/demo-worker.mjs']);
    }
    expect(readRepoText('Dockerfile')).toContain('--outfile=/app/demo-worker.mjs');
  });
});
