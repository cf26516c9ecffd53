import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmdirSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export type PrometheusBinaries = { prometheus: string; promtool: string };

function which(command: string): string | undefined {
  const found = spawnSync('which', [command], { encoding: 'utf8' });
  return found.status === 0 ? found.stdout.trim() : undefined;
}

function installed(): PrometheusBinaries | undefined {
  const prometheus = which('prometheus');
  const promtool = which('promtool');
  return prometheus && promtool ? { prometheus, promtool } : undefined;
}

const LOCK_DIR = join(tmpdir(), 'joblens-install-prometheus.lock');
const STALE_LOCK_MILLIS = 10 * 60_000;

/** One installer at a time across test files running in parallel: apt and dpkg take exclusive locks. */
async function withInstallLock<T>(fn: () => T): Promise<T> {
  for (;;) {
    try {
      mkdirSync(LOCK_DIR);
      break;
    } catch {
      try {
        if (Date.now() - statSync(LOCK_DIR).mtimeMs > STALE_LOCK_MILLIS) rmdirSync(LOCK_DIR);
      } catch {}
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
  try {
    return fn();
  } finally {
    rmdirSync(LOCK_DIR);
  }
}

/**
 * Tests of the deployment files run the real `promtool` and `prometheus` from Debian's `prometheus`
 * package (2.42 on bookworm, the version CI checks against). Install it when missing; never start the
 * packaged service: tests run their own instance on a free port.
 */
export async function ensurePrometheus(): Promise<PrometheusBinaries> {
  const present = installed();
  if (present) return present;
  return withInstallLock(() => {
    const again = installed();
    if (again) return again;
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    // Debian's policy-rc.d convention: exit 101 tells the package's scripts not to start its service.
    const policy = '/usr/sbin/policy-rc.d';
    const ownPolicy = !existsSync(policy);
    if (ownPolicy) writeFileSync(policy, '#!/bin/sh\nexit 101\n', { mode: 0o755 });
    try {
      execFileSync('apt-get', ['update', '-qq'], { stdio: 'ignore', env });
      execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', 'prometheus'], {
        stdio: 'ignore',
        env,
      });
    } catch (cause) {
      throw new Error("installing Debian's prometheus package (apt-get install prometheus)", { cause });
    } finally {
      if (ownPolicy) unlinkSync(policy);
    }
    const after = installed();
    if (!after)
      throw new Error("Debian's prometheus package installed, but prometheus or promtool is not on PATH");
    return after;
  });
}
