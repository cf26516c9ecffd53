import type { Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import { buildFindingsDashboard } from './dashboards/findings-and-monitors.js';
import { buildJobsDashboard } from './dashboards/jobs.js';
import { buildWorkerFleetDashboard } from './dashboards/worker-fleet.js';

export type DashboardFile = { fileName: string; build: () => Dashboard };

/** Every provisioned dashboard and the file under grafana/dashboards/ it is written to. */
export const ALL_DASHBOARDS: readonly DashboardFile[] = [
  { fileName: 'worker-fleet.json', build: buildWorkerFleetDashboard },
  { fileName: 'jobs.json', build: buildJobsDashboard },
  { fileName: 'findings-and-monitors.json', build: buildFindingsDashboard },
];

/** The exact text committed under grafana/dashboards/: stable key order, two-space indent, final newline. */
export function renderDashboardJson(dashboard: Dashboard): string {
  return `${JSON.stringify(dashboard, null, 2)}\n`;
}
