import { execFile } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const REPO_ROOT = fileURLToPath(new URL('../../..', import.meta.url));

/** The packages a user installs, in the order their dependencies need them. */
export const PUBLISHED_PACKAGES = ['semconv', 'sdk', 'analyzer', 'demo', 'cli'] as const;
export type PublishedPackage = (typeof PUBLISHED_PACKAGES)[number];

/**
 * The pnpm that runs this process when there is one (`pnpm test`, `pnpm bench`), else the pinned one
 * through npx, as the README's lines call it.
 */
function pnpmCommand(): [string, string[]] {
  const execPath = process.env.npm_execpath;
  if (execPath && /pnpm/.test(execPath)) return [process.execPath, [execPath]];
  return ['npx', ['-y', 'pnpm@9.15.9']];
}

/**
 * Packs each package as `pnpm pack` does for publishing: its `prepack` builds it from the current
 * sources, and `workspace:` ranges become the versions they point at. Returns the tarballs' paths.
 */
export async function packPackages(
  names: readonly PublishedPackage[],
  destination: string,
): Promise<Record<PublishedPackage, string>> {
  mkdirSync(destination, { recursive: true });
  const [command, prefix] = pnpmCommand();
  const tarballs = {} as Record<PublishedPackage, string>;
  for (const name of names) {
    const { stdout } = await run(command, [...prefix, 'pack', '--pack-destination', destination], {
      cwd: join(REPO_ROOT, 'packages', name),
      maxBuffer: 16 * 1024 * 1024,
    });
    const tarball = stdout.trim().split('\n').at(-1)?.trim();
    if (!tarball?.endsWith('.tgz'))
      throw new Error(`pnpm pack in packages/${name} printed no tarball:\n${stdout}`);
    tarballs[name] = tarball;
  }
  return tarballs;
}

/**
 * `npm install`s what `specs` name (tarball paths or registry specs) into `dir`, a folder with an
 * empty app's package.json, as a user of the published packages would.
 */
export async function npmInstall(dir: string, specs: string[]): Promise<void> {
  await run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', ...specs], {
    cwd: dir,
    maxBuffer: 16 * 1024 * 1024,
  });
}
