import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { defineConfig } from 'vitest/config';

// Tests run the packages' TypeScript sources, not their built `dist/`: the same mapping tsc and tsx
// read from tsconfig.json's `paths`, so it is written once.
const { compilerOptions } = JSON.parse(readFileSync(new URL('./tsconfig.json', import.meta.url), 'utf8'));
const sourceAliases = Object.entries(compilerOptions.paths as Record<string, string[]>).map(
  ([specifier, [target]]) => ({
    find: new RegExp(`^${specifier.replace(/[/.]/g, '\\$&')}$`),
    replacement: resolve(import.meta.dirname, target),
  }),
);

// One run covers every package; each package keeps its tests in `test/` beside `src/`.
export default defineConfig({
  resolve: { alias: sourceAliases },
  test: {
    include: ['packages/*/test/**/*.test.ts'],
    globalSetup: ['packages/test-utils/src/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Two cores: integration tests start real servers and child processes.
    fileParallelism: true,
    maxWorkers: 2,
    reporters: ['default'],
  },
});
