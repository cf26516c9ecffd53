#!/usr/bin/env node
// Builds every published package in dependency order. The root's `prepare` runs it, so
// `pnpm install` leaves the `joblens` command and the packages runnable with plain `node`.
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PUBLISHED_PACKAGES } from './published-packages.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const BUILD_PACKAGE = join(ROOT, 'scripts', 'build-package.mjs');

for (const name of PUBLISHED_PACKAGES) {
  execFileSync(process.execPath, [BUILD_PACKAGE], { cwd: join(ROOT, 'packages', name), stdio: 'inherit' });
}
