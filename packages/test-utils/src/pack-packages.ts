import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const PACK_SCRIPT = fileURLToPath(new URL('../../../scripts/pack-packages.mjs', import.meta.url));

/** The packages a user installs, in the order their dependencies need them. */
export const PUBLISHED_PACKAGES = ['semconv', 'sdk', 'otlp-receiver', 'analyzer', 'demo', 'cli'] as const;
export type PublishedPackage = (typeof PUBLISHED_PACKAGES)[number];

/**
 * Packs each package through the repository's `pack-packages` script, as the README tells users to:
 * built from the current sources, with `workspace:` ranges turned into versions. Returns the tarballs.
 */
export async function packPackages<Name extends PublishedPackage>(
  names: readonly Name[],
  destination: string,
): Promise<Record<Name, string>> {
  const { stdout } = await run(process.execPath, [PACK_SCRIPT, destination, ...names], {
    maxBuffer: 16 * 1024 * 1024,
  });
  const paths = stdout.trim().split('\n');
  return Object.fromEntries(names.map((name, i) => [name, paths[i]])) as Record<Name, string>;
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
