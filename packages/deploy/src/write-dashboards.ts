import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ALL_DASHBOARDS, renderDashboardJson } from './all-dashboards.js';
import { DASHBOARDS_DIR } from './repo-paths.js';

// `pnpm --filter @joblens/deploy dashboards`: regenerate grafana/dashboards/*.json from the builders.
for (const { fileName, build } of ALL_DASHBOARDS) {
  const path = join(DASHBOARDS_DIR, fileName);
  writeFileSync(path, renderDashboardJson(build()));
  console.log(`wrote ${path}`);
}
