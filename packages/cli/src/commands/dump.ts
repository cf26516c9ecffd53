import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { defaultDumpDirectory, dumpFilePrefix } from '@joblens/sdk/dump-location';
import { CliError } from '../cli-error.js';
import type { Command, CommandSyntax } from '../command.js';
import { parseCommandLine } from '../parse-command-line.js';

const USAGE = `usage: joblens dump <pid> [--dir <path>] [--signal SIGUSR2] [--timeout-seconds 10]

Asks a worker instrumented with @joblens/sdk to write a dump (active jobs, heap, event loop, handles,
Node's diagnostic report) without stopping it, and prints where the file went. The worker also sends
the dump's summary as a log record to its OTLP endpoint.

  --dir              the worker's dumpDirectory (default: <tmpdir>/joblens-dumps)
  --signal           the worker's dumpSignal (default SIGUSR2)
  --timeout-seconds  how long to wait for the file (default 10)
  -h, --help         show this help`;

const SYNTAX = {
  allowPositionals: true,
  options: {
    dir: { type: 'string' },
    signal: { type: 'string', default: 'SIGUSR2' },
    'timeout-seconds': { type: 'string', default: '10' },
    help: { type: 'boolean', short: 'h' },
  },
} as const satisfies CommandSyntax;

export const dumpCommand: Command = {
  summary: 'trigger a dump in a running worker and print where it went',
  usage: USAGE,
  syntax: SYNTAX,
  async run(argv) {
    const { values, positionals } = parseCommandLine('dump', SYNTAX, argv);
    if (values.help) {
      process.stdout.write(`${USAGE}\n`);
      return 0;
    }
    const pid = Number(positionals[0]);
    if (positionals.length !== 1 || !Number.isInteger(pid) || pid <= 0) {
      throw new CliError(
        `expected one process id, got ${positionals.length === 0 ? 'none' : positionals.join(' ')}`,
        2,
      );
    }
    const timeoutSeconds = Number(values['timeout-seconds']);
    if (!(timeoutSeconds > 0))
      throw new CliError(`--timeout-seconds must be a positive number, got ${values['timeout-seconds']}`, 2);
    const signal = values.signal as NodeJS.Signals;
    if (signal === 'SIGUSR1')
      throw new CliError("SIGUSR1 starts Node's inspector in the worker; joblens dumps use SIGUSR2", 2);
    const dir = values.dir ?? defaultDumpDirectory();

    const before = new Set(await dumpsOf(dir, pid));
    try {
      process.kill(pid, signal);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ESRCH') throw new CliError(`no process with pid ${pid}`);
      if (code === 'EPERM') throw new CliError(`not allowed to signal pid ${pid} (run as the worker's user)`);
      if (code === 'EINVAL' || (error as Error).message.includes('Unknown signal'))
        throw new CliError(`unknown signal ${signal}`, 2);
      throw new CliError(`could not signal pid ${pid}: ${(error as Error).message}`);
    }
    const deadline = Date.now() + timeoutSeconds * 1000;
    while (Date.now() < deadline) {
      const fresh = (await dumpsOf(dir, pid)).filter((f) => !before.has(f));
      if (fresh.length > 0) {
        const path = join(dir, fresh.sort().at(-1)!);
        await waitUntilStable(path);
        process.stdout.write(`dump of pid ${pid} written to ${path}\n`);
        return 0;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new CliError(
      `sent ${signal} to pid ${pid}, but no dump appeared in ${dir} within ${timeoutSeconds} s: is it a worker instrumented with @joblens/sdk, with dumpSignal ${signal} and this dumpDirectory?`,
    );
  },
};

async function dumpsOf(dir: string, pid: number): Promise<string[]> {
  try {
    return (await readdir(dir)).filter(
      (name) => name.startsWith(dumpFilePrefix(pid)) && name.endsWith('.json'),
    );
  } catch {
    return [];
  }
}

/** The SDK writes the file in one go, but a reader may see it mid-write: wait until its size settles. */
async function waitUntilStable(path: string): Promise<void> {
  let last = -1;
  for (let i = 0; i < 20; i++) {
    const size = (await stat(path).catch(() => ({ size: -1 }))).size;
    if (size > 0 && size === last) return;
    last = size;
    await new Promise((r) => setTimeout(r, 50));
  }
}
