import { existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  buildPrometheusConfig,
  repositoryRuleFiles,
  writePrometheusConfig,
} from '../src/prometheus-scrape-config.js';

const TARGETS = {
  analyzer: '127.0.0.1:4320',
  workers: [
    { address: '127.0.0.1:40001', host: 'mail-1' },
    { address: '127.0.0.1:40002', host: 'sync-1' },
  ],
};

/** The `targets: [...]` entries of a scrape job, in order. */
function targetsOf(config: string, job: string): string[] {
  const section = config.split('  - job_name: ').find((part) => part.startsWith(`${job}\n`)) ?? '';
  return [...section.matchAll(/targets: \["([^"]+)"\]/g)].map((match) => match[1]);
}

describe('buildPrometheusConfig', () => {
  it('scrapes the analyzer in one job and every worker in another, each once', () => {
    const config = buildPrometheusConfig(TARGETS, []);
    expect(targetsOf(config, 'joblens-analyzer')).toEqual(['127.0.0.1:4320']);
    expect(targetsOf(config, 'joblens-workers')).toEqual(['127.0.0.1:40001', '127.0.0.1:40002']);
  });

  it('names the host each worker poses as beside its target, for a person reading the file', () => {
    expect(buildPrometheusConfig(TARGETS, [])).toContain('targets: ["127.0.0.1:40002"] # sync-1');
  });

  it('loads the rule files it is given and leaves rule_files out when there are none', () => {
    expect(buildPrometheusConfig(TARGETS, ['/rules/a.yml'])).toContain('rule_files:\n  - "/rules/a.yml"\n');
    expect(buildPrometheusConfig(TARGETS, [])).not.toContain('rule_files');
  });
});

describe('writePrometheusConfig', () => {
  it('names the file it could not write', async () => {
    const file = join(tmpdir(), `joblens-no-such-dir-${process.pid}`, 'prometheus.yml');
    await expect(writePrometheusConfig(file, TARGETS, [])).rejects.toThrow(
      `writing the demo's Prometheus configuration to ${file}`,
    );
  });
});

describe('repositoryRuleFiles', () => {
  it("finds the repository's recording and alert rules from the demo's sources", () => {
    const files = repositoryRuleFiles();
    expect(files.map((file) => basename(file))).toEqual(['joblens-recording.yml', 'joblens-alerts.yml']);
    for (const file of files) expect(existsSync(file), file).toBe(true);
  });

  it('finds the same rules from a build folder nested below the package too', () => {
    const fromBuild = fileURLToPath(new URL('../dist/esm/prometheus-scrape-config.js', import.meta.url));
    const found = repositoryRuleFiles(fromBuild);
    // The build ships its own copy (dist/prometheus/rules) when there is one; either way the same rules.
    expect(found.map((file) => readFileSync(file, 'utf8'))).toEqual(
      repositoryRuleFiles().map((file) => readFileSync(file, 'utf8')),
    );
  });

  it('finds none outside a repository', () => {
    expect(
      repositoryRuleFiles(join(tmpdir(), 'node_modules', '@joblens', 'demo', 'dist', 'index.js')),
    ).toEqual([]);
  });
});
