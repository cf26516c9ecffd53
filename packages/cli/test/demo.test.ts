import { spawn } from 'node:child_process';
import { buildScenario } from '@joblens/demo';
import { describe, expect, it } from 'vitest';
import { JOBLENS_COMMAND } from './run-joblens.js';

interface DemoRun {
  code: number | null;
  output: string;
}

/** Runs `joblens demo` as a person's CI would: a child process, no TTY, CI set. Ports are ephemeral here. */
function runDemo(args: string[]): Promise<DemoRun> {
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      [...JOBLENS_COMMAND, 'demo', '--port', '0', '--otlp-port', '0', ...args],
      {
        env: { ...process.env, CI: '1' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let output = '';
    child.stdout.on('data', (chunk) => {
      output += chunk;
    });
    child.stderr.on('data', (chunk) => {
      output += chunk;
    });
    child.on('exit', (code) => resolve({ code, output }));
  });
}

/** The summary's row for each fault says FOUND with a latency, and nothing else was reported. */
function expectFound(run: DemoRun, faultIds: string[]): void {
  expect(run.code, run.output).toBe(0);
  const faults = buildScenario('any').faults.filter((fault) => faultIds.includes(fault.id));
  expect(faults.map((fault) => fault.id)).toEqual(faultIds);
  for (const fault of faults) {
    expect(run.output, run.output).toMatch(
      new RegExp(`^${fault.id}\\s+${fault.findingType}\\s+FOUND\\s+\\d+\\.\\d s`, 'm'),
    );
  }
  expect(run.output).toMatch(/no false findings/);
}

describe('joblens demo', () => {
  it('finds every injected fault on a BullMQ fleet, with no false finding, and exits 0', async () => {
    const run = await runDemo(['--duration', '90']);
    expect(run.output).toMatch(/jobs flow through BullMQ on Redis/);
    expectFound(
      run,
      buildScenario('any').faults.map((fault) => fault.id),
    );
  }, 240_000);

  // The generic adapter carries the same jobs; a smaller fleet (three hosts) keeps this run short.
  it('finds the faults of one host through the generic adapter when told not to use Redis', async () => {
    const faults = ['silent-call', 'hung-job', 'poison-job', 'upstream-outage'];
    const run = await runDemo(['--duration', '90', '--no-redis', '--faults', faults.join(',')]);
    expect(run.output).toMatch(/jobs flow through the generic adapter/);
    expect(run.output).toMatch(/starting 3 worker processes: mail-1, mail-2, reports-1/);
    expectFound(run, faults);
  }, 240_000);
});
