import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { freePort } from './free-port.js';

export type ScrapeTarget = { job: string; address: string; labels?: Record<string, string> };

export type PrometheusProcess = {
  url: string;
  /** Runs an instant query; resolves with the result vector or matrix. */
  query(expr: string): Promise<unknown[]>;
  /** Runs a range query over the last `seconds`, one point per `stepSeconds`. */
  queryRange(expr: string, seconds: number, stepSeconds: number): Promise<unknown[]>;
  stop(): Promise<void>;
};

/**
 * A real Prometheus (Debian's binary) on a free port, scraping the given targets every second and
 * evaluating the given rule files every second, with its data in a temporary directory.
 */
export async function startPrometheus(
  binary: string,
  targets: ScrapeTarget[],
  ruleFiles: string[],
): Promise<PrometheusProcess> {
  const dir = mkdtempSync(join(tmpdir(), 'joblens-prometheus-'));
  const jobs = new Map<string, { targets: string[]; labels?: Record<string, string> }[]>();
  for (const target of targets) {
    jobs.set(target.job, [
      ...(jobs.get(target.job) ?? []),
      { targets: [target.address], labels: target.labels },
    ]);
  }
  writeFileSync(
    join(dir, 'prometheus.yml'),
    stringify({
      global: { scrape_interval: '1s', evaluation_interval: '1s' },
      rule_files: ruleFiles,
      scrape_configs: [...jobs].map(([job, staticConfigs]) => ({
        job_name: job,
        static_configs: staticConfigs,
      })),
    }),
  );
  return launchPrometheus(binary, join(dir, 'prometheus.yml'), dir);
}

/** A real Prometheus on a free port running a configuration file as given, its data in a temporary directory. */
export async function startPrometheusWithConfig(
  binary: string,
  configFile: string,
): Promise<PrometheusProcess> {
  return launchPrometheus(binary, configFile, mkdtempSync(join(tmpdir(), 'joblens-prometheus-')));
}

/** Starts Prometheus with `configFile`, its data under `dir` (removed on stop), and waits until it is ready. */
async function launchPrometheus(binary: string, configFile: string, dir: string): Promise<PrometheusProcess> {
  const port = await freePort();
  const child: ChildProcess = spawn(
    binary,
    [
      `--config.file=${configFile}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--enable-feature=exemplar-storage',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk) => {
    stderr = (stderr + chunk).slice(-4000);
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`prometheus exited with ${child.exitCode}:\n${stderr}`);
    const ready = await fetch(`${url}/-/ready`).then(
      (r) => r.ok,
      () => false,
    );
    if (ready) break;
    if (Date.now() > deadline) throw new Error(`prometheus did not become ready:\n${stderr}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }

  const api = async (path: string, params: Record<string, string>) => {
    const response = await fetch(`${url}${path}?${new URLSearchParams(params)}`);
    const body = (await response.json()) as { status: string; error?: string; data?: { result: unknown[] } };
    if (body.status !== 'success') throw new Error(`prometheus ${path} ${params.query}: ${body.error}`);
    return body.data?.result ?? [];
  };
  return {
    url,
    query: (expr) => api('/api/v1/query', { query: expr }),
    queryRange: (expr, seconds, stepSeconds) => {
      const end = Date.now() / 1000;
      return api('/api/v1/query_range', {
        query: expr,
        start: String(end - seconds),
        end: String(end),
        step: String(stepSeconds),
      });
    },
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5000))]);
        if (child.exitCode === null) child.kill('SIGKILL');
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
