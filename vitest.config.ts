import { defineConfig } from 'vitest/config';

// One run covers every package; each package keeps its tests in `test/` beside `src/`.
export default defineConfig({
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
