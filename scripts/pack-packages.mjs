#!/usr/bin/env node
// `node scripts/pack-packages.mjs <folder> [package…]`: packs the published packages (all by default) as
// `pnpm pack` does for publishing, each built from the current sources by its `prepack`, into <folder>,
// and prints each tarball's path on a line of its own.
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PUBLISHED_PACKAGES as PUBLISHED } from './published-packages.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

const [destinationArg, ...names] = process.argv.slice(2);
if (!destinationArg) {
  process.stderr.write('usage: node scripts/pack-packages.mjs <folder> [package…]\n');
  process.exit(2);
}
const unknown = names.filter((name) => !PUBLISHED.includes(name));
if (unknown.length > 0) {
  process.stderr.write(
    `pack-packages: not a published package: ${unknown.join(', ')} (one of ${PUBLISHED.join(', ')})\n`,
  );
  process.exit(2);
}
const destination = resolve(destinationArg);
mkdirSync(destination, { recursive: true });

// The pnpm running this script when there is one (`pnpm run pack-packages`), else the pinned one.
const execPath = process.env.npm_execpath;
const [command, prefix] =
  execPath && /pnpm/.test(execPath) ? [process.execPath, [execPath]] : ['npx', ['-y', 'pnpm@9.15.9']];

for (const name of names.length > 0 ? names : PUBLISHED) {
  const printed = execFileSync(command, [...prefix, 'pack', '--pack-destination', destination], {
    cwd: join(ROOT, 'packages', name),
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const tarball = printed.trim().split('\n').at(-1)?.trim();
  if (!tarball?.endsWith('.tgz'))
    throw new Error(`pnpm pack in packages/${name} printed no tarball:\n${printed}`);
  process.stdout.write(`${tarball}\n`);
}
