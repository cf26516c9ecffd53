#!/usr/bin/env node
// Builds the package in the current directory: `src/` (TypeScript) to `dist/` (ES modules with
// declarations), and a CommonJS copy in `dist/cjs/` when the package's exports offer `require`.
// Plain Node and the repository's own dev dependencies only, so it runs inside `pnpm install`,
// `pnpm pack` and the Dockerfile alike.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(ROOT, 'package.json'));
const packageDir = process.cwd();
const src = join(packageDir, 'src');
const dist = join(packageDir, 'dist');
const manifest = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8'));
const withCjs = Object.values(manifest.exports ?? {}).some(
  (entry) => typeof entry === 'object' && 'require' in entry,
);

rmSync(dist, { recursive: true, force: true });
execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.build.json'], {
  cwd: packageDir,
  stdio: 'inherit',
});
// Files tsc does not emit (plain-JavaScript worker threads and their types) travel as they are.
const assets = listFiles(src).filter((file) => /\.(mjs|d\.mts|json)$/.test(file));
for (const file of assets) copy(join(src, file), join(dist, file));
// Files from elsewhere in the repository that the package needs at run time (the demo's Prometheus
// rules), listed in its package.json as `"joblensBuild": { "copy": { "<from>": "<to, under dist>" } }`.
for (const [from, to] of Object.entries(manifest.joblensBuild?.copy ?? {})) {
  cpSync(join(packageDir, from), join(dist, to), { recursive: true });
}
if (withCjs) buildCommonJs();

function buildCommonJs() {
  const esbuild = require('esbuild');
  const cjs = join(dist, 'cjs');
  const sources = listFiles(src).filter((file) => file.endsWith('.ts') && !file.endsWith('.d.ts'));
  esbuild.buildSync({
    entryPoints: sources.map((file) => join(src, file)),
    outdir: cjs,
    outbase: src,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    bundle: false,
    logLevel: 'warning',
    // CommonJS has no import.meta; the file's own URL is what the code asks it for.
    define: { 'import.meta.url': '__joblensFileUrl' },
    banner: { js: "const __joblensFileUrl = require('node:url').pathToFileURL(__filename).href;" },
  });
  writeFileSync(join(cjs, 'package.json'), '{ "type": "commonjs" }\n');
  // Declarations in a CommonJS folder describe the CommonJS build to TypeScript's `require` resolution.
  for (const file of listFiles(dist)) {
    if (file.startsWith('cjs/')) continue;
    if (file.endsWith('.d.ts') || /\.(mjs|d\.mts)$/.test(file)) copy(join(dist, file), join(cjs, file));
  }
}

function listFiles(dir, base = dir) {
  const found = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...listFiles(path, base));
    else found.push(relative(base, path).split('\\').join('/'));
  }
  return found;
}

function copy(from, to) {
  mkdirSync(dirname(to), { recursive: true });
  cpSync(from, to);
}
