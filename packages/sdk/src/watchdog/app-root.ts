import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/** Folders climbed at most looking for a package.json; a path deeper than this is no app layout. */
const MAX_LEVELS = 32;

/**
 * The folder the watchdog's stack paths are relative to: the nearest one with a `package.json` above the
 * entry script (the app, even when started from elsewhere), else the working directory (`node -e`, a REPL).
 */
export function appRootOf(entryScript: string | undefined, cwd: string): string {
  if (!entryScript) return cwd;
  let dir = dirname(resolve(cwd, entryScript));
  for (let level = 0; level < MAX_LEVELS; level++) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return cwd;
}
