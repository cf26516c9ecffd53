import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface ScrapeTargets {
  /** The analyzer's API address (`host:port`), which serves `/metrics`. */
  analyzer: string;
  /** Each worker's Prometheus endpoint (`host:port`) and the host it poses as, for a comment. */
  workers: { address: string; host: string }[];
}

const RULE_FILE_NAMES = ['joblens-recording.yml', 'joblens-alerts.yml'];
/** packages/demo/src or a build folder (dist/, maybe one level deeper) sits this far below the root. */
const MAX_LEVELS_UP = 4;

/**
 * The recording and alert rules (`prometheus/rules`), found by looking up from this file: the sources find
 * the repository's, and a build (also when installed from its package) the copy its build put in `dist/`.
 */
export function repositoryRuleFiles(from = fileURLToPath(import.meta.url)): string[] {
  let dir = dirname(from);
  for (let level = 0; level <= MAX_LEVELS_UP; level++) {
    const files = RULE_FILE_NAMES.map((name) => join(dir, 'prometheus', 'rules', name));
    if (files.every((file) => existsSync(file))) return files;
    dir = dirname(dir);
  }
  return [];
}

/**
 * A complete Prometheus configuration for one demo run: the analyzer and every worker's own endpoint,
 * and the repository's rules when there are some. The workers put `service_name`,
 * `service_instance_id` and `host_name` on every series themselves, so the targets need no labels.
 * Written by hand rather than through a YAML library: every value is a plain string or number, and
 * JSON's quoting is valid YAML.
 */
export function buildPrometheusConfig(targets: ScrapeTargets, ruleFiles: string[]): string {
  const quote = (text: string) => JSON.stringify(text);
  const lines = [
    "# Written by `joblens demo` for this run: the ports are this run's, so the file is stale once it ends.",
    '# prometheus --config.file=<this file>',
    'global:',
    // The compose stack's interval: the workers export every second, so every scrape sees fresh values.
    '  scrape_interval: 5s',
    '  evaluation_interval: 5s',
  ];
  if (ruleFiles.length > 0) lines.push('rule_files:', ...ruleFiles.map((file) => `  - ${quote(file)}`));
  lines.push(
    'scrape_configs:',
    '  - job_name: joblens-analyzer',
    '    static_configs:',
    `      - targets: [${quote(targets.analyzer)}]`,
  );
  if (targets.workers.length > 0) {
    lines.push('  - job_name: joblens-workers', '    static_configs:');
    for (const worker of targets.workers) {
      lines.push(`      - targets: [${quote(worker.address)}] # ${worker.host}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

export async function writePrometheusConfig(
  file: string,
  targets: ScrapeTargets,
  ruleFiles = repositoryRuleFiles(),
): Promise<void> {
  try {
    await writeFile(file, buildPrometheusConfig(targets, ruleFiles));
  } catch (cause) {
    throw new Error(`writing the demo's Prometheus configuration to ${file}`, { cause });
  }
}
