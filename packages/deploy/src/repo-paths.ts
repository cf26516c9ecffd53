import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root, found from this file (packages/deploy/src/). */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
export const DASHBOARDS_DIR = resolve(REPO_ROOT, 'grafana/dashboards');
