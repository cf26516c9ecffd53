/**
 * `pnpm bench`: runs every `packages/<name>/bench/*.bench.ts` one after another (benchmarks share
 * two cores; running them side by side would measure each other) and prints their `name: value`
 * lines on stdout. Everything else a bench prints goes to stderr, so stdout stays machine-readable.
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const FIGURE = /^[a-z][a-z0-9_]*: -?[0-9.]+(e[-+]?[0-9]+)?$/i;

function findBenches(): string[] {
  const packagesDir = join(root, 'packages');
  const files: string[] = [];
  for (const pkg of readdirSync(packagesDir).sort()) {
    const dir = join(packagesDir, pkg, 'bench');
    if (!existsSync(dir)) continue;
    for (const file of readdirSync(dir).sort()) {
      if (file.endsWith('.bench.ts')) files.push(join(dir, file));
    }
  }
  return files;
}

function runBench(file: string): Promise<{ figures: string[]; code: number }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', file], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, JOBLENS_BENCH: '1' },
    });
    const figures: string[] = [];
    let pending = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      pending += chunk;
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        // Anything a bench prints that is not a figure is progress: stderr, not stdout.
        if (FIGURE.test(line.trim())) figures.push(line.trim());
        else if (line.trim() !== '') process.stderr.write(`${line}\n`);
      }
    });
    child.on('close', (code) => {
      if (FIGURE.test(pending.trim())) figures.push(pending.trim());
      resolve({ figures, code: code ?? 1 });
    });
  });
}

const benches = findBenches();
let failed = 0;
for (const file of benches) {
  const name = relative(root, file);
  process.stderr.write(`bench: running ${name}\n`);
  const { figures, code } = await runBench(file);
  for (const figure of figures) process.stdout.write(`${figure}\n`);
  if (code !== 0) {
    failed++;
    process.stderr.write(`bench: ${name} exited with ${code}\n`);
  }
}
if (benches.length === 0) process.stderr.write('bench: no packages/*/bench/*.bench.ts found\n');
process.exitCode = failed > 0 ? 1 : 0;
