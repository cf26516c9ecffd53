#!/usr/bin/env node
// Builds every published package in dependency order. The root's `prepare` runs it, so
// `pnpm install` leaves the `joblens` command and the packages runnable with plain `node`.
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const BUILD_PACKAGE = join(ROOT, 'scripts', 'build-package.mjs');
const IN_DEPENDENCY_ORDER = ['semconv', 'sdk', 'analyzer', 'demo', 'cli'];

for (const name of IN_DEPENDENCY_ORDER) {
  execFileSync(process.execPath, [BUILD_PACKAGE], { cwd: join(ROOT, 'packages', name), stdio: 'inherit' });
}
