import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'yaml';
import { REPO_ROOT } from '../src/repo-paths.js';

/** A path inside the repository, from its root. */
export function repoPath(relative: string): string {
  return resolve(REPO_ROOT, relative);
}

export function readRepoText(relative: string): string {
  return readFileSync(repoPath(relative), 'utf8');
}

// biome-ignore lint/suspicious/noExplicitAny: configuration files are checked field by field by the tests
export function readRepoYaml(relative: string): any {
  // Compose files share settings through YAML merge keys (`<<: *anchor`).
  return parse(readRepoText(relative), { merge: true });
}
