import { type ChildProcess, execFile, spawn } from 'node:child_process';
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ensureRedis, npmInstall, PUBLISHED_PACKAGES, packPackages } from '@joblens/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const APP_FILES = new URL('./packed-app/', import.meta.url);
// The BullMQ a user would install beside the SDK: the version this repository tests against.
const BULLMQ_SPEC = `bullmq@${readBullmqVersion()}`;

let root: string;
let app: string;
let tarballs: Record<string, string>;
let serve: { child: ChildProcess; otlpUrl: string; apiUrl: string; output: () => string } | undefined;

function readBullmqVersion(): string {
  const manifest = JSON.parse(readFileSync(new URL('../../demo/package.json', import.meta.url), 'utf8'));
  return manifest.dependencies.bullmq;
}

/** Runs plain `node <file>` in the app folder, as a user's service runs, with no loader or flags. */
async function nodeInApp(file: string, args: string[], env: Record<string, string>): Promise<string> {
  const { stdout } = await run(process.execPath, [file, ...args], {
    cwd: app,
    env: { ...process.env, NODE_OPTIONS: '', ...env },
    timeout: 90_000,
  });
  return stdout;
}

/** `npx joblens serve` from the installed CLI; resolves once it printed where it listens. */
function startInstalledServe(dataDir: string, configFile: string): Promise<NonNullable<typeof serve>> {
  const child = spawn(
    'npx',
    ['joblens', 'serve', '--port', '0', '--otlp-port', '0', '--data-dir', dataDir, '--config', configFile],
    {
      cwd: app,
      env: { ...process.env, NODE_OPTIONS: '', JOBLENS_TOKEN: '' },
      // Its own process group: `npx` runs the CLI as a child of its own, which a signal to npx alone
      // leaves running after the test.
      detached: true,
    },
  );
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`joblens serve did not start:\n${output}`)), 60_000);
    child.stderr.on('data', (chunk) => (output += chunk));
    child.stdout.on('data', (chunk) => {
      output += chunk;
      const otlp = /OTLP\/HTTP\s+(http:\/\/\S+)/.exec(output);
      const api = /API\s+(http:\/\/\S+)\/api\/findings/.exec(output);
      if (otlp && api) {
        clearTimeout(timer);
        resolve({ child, otlpUrl: otlp[1], apiUrl: api[1], output: () => output });
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`joblens serve exited with ${code}:\n${output}`));
    });
  });
}

async function pollFindings(type: string, deadlineMillis: number): Promise<Record<string, unknown>[]> {
  const deadline = Date.now() + deadlineMillis;
  for (;;) {
    const response = await fetch(`${serve?.apiUrl}/api/findings?type=${type}`);
    const { findings } = (await response.json()) as { findings: Record<string, unknown>[] };
    if (findings.length > 0 || Date.now() > deadline) return findings;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

describe('joblens installed from packed tarballs into an empty folder outside the repository', () => {
  beforeAll(async () => {
    await ensureRedis();
    root = mkdtempSync(join(tmpdir(), 'joblens-packed-'));
    app = join(root, 'app');
    tarballs = await packPackages(PUBLISHED_PACKAGES, join(root, 'tarballs'));
    mkdirSync(app, { recursive: true });
    writeFileSync(
      join(app, 'package.json'),
      JSON.stringify({ name: 'my-service', private: true, type: 'commonjs' }),
    );
    for (const file of readdirSync(APP_FILES)) copyFileSync(new URL(file, APP_FILES), join(app, file));
    await npmInstall(app, [...Object.values(tarballs), BULLMQ_SPEC]);
    writeFileSync(
      join(app, 'joblens.yaml'),
      'detectors:\n  mystery_gap: { gapThresholdSeconds: 2 }\n  silent_job: { silenceThresholdSeconds: 2 }\n',
    );
    serve = await startInstalledServe(join(app, '.joblens'), join(app, 'joblens.yaml'));
  }, 900_000);

  afterAll(() => {
    if (serve?.child.pid !== undefined) process.kill(-serve.child.pid, 'SIGTERM');
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it('packs manifests with no workspace: ranges and exports that point into the build', async () => {
    for (const [name, tarball] of Object.entries(tarballs)) {
      const { stdout } = await run('tar', ['-xzOf', tarball, 'package/package.json']);
      expect(stdout, name).not.toContain('workspace:');
      const manifest = JSON.parse(stdout);
      for (const entry of Object.values(manifest.exports) as Record<string, unknown>[]) {
        expect(entry.types, name).toMatch(/^\.\/dist\/.*\.d\.ts$/);
        expect(entry.import, name).toMatch(/^\.\/dist\/.*\.js$/);
        expect(entry.default, name).toMatch(/^\.\/dist\/.*\.js$/);
      }
    }
  });

  it('runs a plain JavaScript BullMQ worker whose silent pause the installed analyzer reports as a mystery gap', async () => {
    const queue = `packed-${process.pid}-${Date.now()}`;
    const printed = await nodeInApp('worker.mjs', [queue, '2'], {
      OTEL_EXPORTER_OTLP_ENDPOINT: serve!.otlpUrl,
    });
    expect(printed).toContain('processed 2');
    const findings = await pollFindings('mystery_gap', 60_000);
    const ours = findings.filter((finding) => JSON.stringify(finding).includes(queue));
    expect(ours, serve!.output()).toHaveLength(1);
    expect(JSON.stringify(ours[0])).toContain('packed-mailer');
  });

  it('requires the SDK from a CommonJS script whose scheduled job the analyzer counts', async () => {
    const printed = await nodeInApp('require-sdk.cjs', [], { OTEL_EXPORTER_OTLP_ENDPOINT: serve!.otlpUrl });
    expect(printed).toContain('exported 42');
    const counted =
      /joblens_job_attempts_total\{[^}]*service="packed-cron"[^}]*job_name="nightly-export"[^}]*outcome="completed"[^}]*\} 1/;
    const deadline = Date.now() + 30_000;
    let metrics = '';
    while (!counted.test(metrics) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 300));
      metrics = await (await fetch(`${serve!.apiUrl}/metrics`)).text();
    }
    expect(metrics).toMatch(counted);
  });

  it('names the function a plain JavaScript job blocked the loop in, on the finding page and in the API', async () => {
    const printed = await nodeInApp('block-loop.mjs', [], { OTEL_EXPORTER_OTLP_ENDPOINT: serve!.otlpUrl });
    expect(printed).toContain('rendered true');
    const line =
      readFileSync(new URL('block-loop.mjs', APP_FILES), 'utf8')
        .split('\n')
        .findIndex((text) => text.includes('the loop is held here')) + 1;
    // Relative to the app's root, the folder of its package.json.
    const where = `renderReport (block-loop.mjs:${line})`;
    const findings = await pollFindings('event_loop_blocked', 60_000);
    const ours = findings.find((finding) => JSON.stringify(finding).includes('packed-render'));
    expect(ours, serve!.output()).toBeDefined();
    expect(ours?.summary).toContain(`in ${where}`);
    // Whether it reads as work or as a waiting call depends on how much CPU the machine gave the thread.
    expect(ours?.nextStep).toMatch(/^Look for (synchronous work|a synchronous call that waits) in /);
    expect(ours?.nextStep).toContain(` in ${where}`);
    const page = await (
      await fetch(`${serve!.apiUrl}/findings/${encodeURIComponent(String(ours?.id))}`)
    ).text();
    expect(page).toMatch(
      new RegExp(`<li><code>renderReport \\(block-loop\\.mjs:${line}:\\d+\\)</code></li>`),
    );
  });

  it('names the host:port a plain JavaScript job waits on, in the silent_job of the API and the page', async () => {
    // A server that accepts the call and never answers it.
    const silent = createServer(() => {});
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const address = `127.0.0.1:${(silent.address() as AddressInfo).port}`;
    const job = spawn(process.execPath, ['hang-on-call.mjs', `http://${address}/rows?page=1`], {
      cwd: app,
      env: { ...process.env, NODE_OPTIONS: '', OTEL_EXPORTER_OTLP_ENDPOINT: serve!.otlpUrl },
    });
    try {
      const deadline = Date.now() + 60_000;
      let ours: Record<string, unknown> | undefined;
      while (ours === undefined && Date.now() < deadline) {
        const findings = await pollFindings('silent_job', 1_000);
        ours = findings.find((finding) => JSON.stringify(finding).includes(address));
        if (ours === undefined) await new Promise((resolve) => setTimeout(resolve, 500));
      }
      expect(ours, serve!.output()).toBeDefined();
      expect(ours?.summary).toContain(`\`GET http://${address}/rows\``);
      expect(ours?.summary).toContain('in step "stream-rows"');
      const page = await (
        await fetch(`${serve!.apiUrl}/findings/${encodeURIComponent(String(ours?.id))}`)
      ).text();
      expect(page).toContain(`<code>GET http://${address}/rows</code>`);
      expect(page).not.toContain('page=1');
    } finally {
      job.kill('SIGKILL');
      silent.closeAllConnections();
      silent.close();
    }
  });

  it('answers `npx joblens findings` from the installed CLI', async () => {
    const { stdout } = await run(
      'npx',
      ['joblens', 'findings', '--url', serve!.apiUrl, '--type', 'mystery_gap'],
      {
        cwd: app,
        env: { ...process.env, NODE_OPTIONS: '', JOBLENS_TOKEN: '' },
      },
    );
    expect(stdout).toContain('mystery_gap');
  });

  it('runs `npx joblens demo` from the installed CLI, with a scrape config that carries the rules', async () => {
    const { stdout } = await run(
      'npx',
      // biome-ignore format: one flag and its value a pair
      ['joblens', 'demo', '--faults', 'poison-job', '--no-redis', '--port', '0', '--otlp-port', '0', '--duration', '60', '--data-dir', 'demo-data'],
      { cwd: app, env: { ...process.env, NODE_OPTIONS: '', CI: '1' }, timeout: 180_000 },
    );
    expect(stdout).toMatch(/^poison-job\s+runaway_retries\s+FOUND/m);
    const config = readFileSync(join(app, 'demo-data', 'prometheus.yml'), 'utf8');
    expect(config).toMatch(/node_modules\/@joblens\/demo\/dist\/prometheus\/rules\/joblens-alerts\.yml/);
  }, 240_000);
});
