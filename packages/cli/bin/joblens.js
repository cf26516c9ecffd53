#!/usr/bin/env node
// Runs the built CLI with plain Node. In a clone, `pnpm install` builds it (the root's `prepare`).
import { existsSync } from 'node:fs';

const main = new URL('../dist/main.js', import.meta.url);
if (!existsSync(main)) {
  process.stderr.write('joblens: not built: run `npx -y pnpm@9.15.9 install` (or `pnpm build`) first\n');
  process.exit(1);
}
await import(main.href);
