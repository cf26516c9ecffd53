import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensurePrometheus } from '@joblens/test-utils';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { ALL_DASHBOARDS, renderDashboardJson } from '../src/all-dashboards.js';
import { listPanelQueries, substituteVariables } from '../src/panel-queries.js';
import { DASHBOARDS_DIR } from '../src/repo-paths.js';
import { readRepoYaml } from './repo-files.js';

const dashboards = ALL_DASHBOARDS.map(({ fileName, build }) => ({ fileName, dashboard: build() }));
const provisioned = readRepoYaml('grafana/provisioning/datasources/joblens.yaml').datasources as {
  uid: string;
  type: string;
  jsonData?: { exemplarTraceIdDestinations?: { datasourceUid: string }[] };
}[];
const provisionedUids = provisioned.map((datasource) => datasource.uid);

type Panel = {
  type: string;
  title: string;
  description?: string;
  datasource?: { uid?: string };
  fieldConfig?: { defaults?: { unit?: string } };
  targets?: unknown[];
};
const panelsOf = (dashboard: { panels?: unknown[] }) =>
  (dashboard.panels as Panel[]).filter((panel) => panel.type !== 'row');

describe('the provisioned dashboards', () => {
  it.each(dashboards)('commits $fileName exactly as the builders produce it', ({ fileName, dashboard }) => {
    const committed = readFileSync(join(DASHBOARDS_DIR, fileName), 'utf8');
    expect(committed, 'run `npx -y pnpm@9.15.9 --filter @joblens/deploy dashboards`').toBe(
      renderDashboardJson(dashboard),
    );
  });

  it.each(dashboards)('gives every panel of $fileName a unit, a description and a query', ({ dashboard }) => {
    for (const panel of panelsOf(dashboard)) {
      expect(panel.fieldConfig?.defaults?.unit, panel.title).toBeTruthy();
      expect(panel.description?.length ?? 0, panel.title).toBeGreaterThan(40);
      expect(panel.targets?.length ?? 0, panel.title).toBeGreaterThan(0);
    }
  });

  it.each(dashboards)('references only provisioned data sources in $fileName', ({ dashboard }) => {
    for (const panel of panelsOf(dashboard))
      expect(provisionedUids, panel.title).toContain(panel.datasource?.uid);
    for (const query of listPanelQueries(dashboard))
      expect(provisionedUids, query.panel).toContain(query.datasourceUid);
    for (const variable of dashboard.templating?.list ?? []) {
      const uid = (variable.datasource as { uid?: string } | undefined)?.uid;
      if (uid !== undefined) expect(provisionedUids, variable.name).toContain(uid);
    }
  });

  it('links Prometheus exemplars to the provisioned Jaeger', () => {
    const prometheus = provisioned.find((datasource) => datasource.type === 'prometheus');
    const destinations = prometheus?.jsonData?.exemplarTraceIdDestinations ?? [];
    expect(destinations.length).toBeGreaterThan(0);
    for (const destination of destinations) {
      expect(provisioned.find((d) => d.uid === destination.datasourceUid)?.type).toBe('jaeger');
    }
  });

  it('filters by service, queue and worker (jobs: by job name) with template variables', () => {
    const variables = (uid: string) =>
      dashboards
        .find(({ dashboard }) => dashboard.uid === uid)
        ?.dashboard.templating?.list?.map((v) => v.name);
    expect(variables('joblens-worker-fleet')).toEqual(expect.arrayContaining(['service', 'queue', 'worker']));
    expect(variables('joblens-findings')).toEqual(expect.arrayContaining(['service', 'queue', 'worker']));
    expect(variables('joblens-jobs')).toEqual(expect.arrayContaining(['service', 'queue', 'job_name']));
  });

  it('writes valid PromQL in every Prometheus panel query (checked by promtool)', async () => {
    const { promtool } = await ensurePrometheus();
    const rules = dashboards.flatMap(({ dashboard }) =>
      listPanelQueries(dashboard)
        .filter((query) => query.expr !== undefined)
        .map((query, index) => ({
          record: `panel_query_${dashboard.uid?.replaceAll('-', '_')}_${index}`,
          expr: substituteVariables(
            query.expr ?? '',
            { service: '.*', queue: '.*', worker: '.*', job_name: '.*' },
            '1m',
          ),
        })),
    );
    expect(rules.length).toBeGreaterThan(20);
    const file = join(mkdtempSync(join(tmpdir(), 'joblens-panels-')), 'panel-queries.yml');
    writeFileSync(file, stringify({ groups: [{ name: 'panel-queries', rules }] }));
    const output = execFileSync(promtool, ['check', 'rules', file], { encoding: 'utf8' });
    expect(output).toContain(`SUCCESS: ${rules.length} rules found`);
  });
});
