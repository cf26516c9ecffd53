import { DEFAULT_DURATION_SECONDS, DEFAULT_OTLP_PORT, DEFAULT_PORT } from '@joblens/demo/options';
import { buildScenario } from '@joblens/demo/scenario';
import { CliError } from '../cli-error.js';
import type { Command, CommandSyntax } from '../command.js';
import { parseCommandLine } from '../parse-command-line.js';

const USAGE = `usage: joblens demo [options]

Starts the analyzer on an embedded SQLite file and a simulated fleet of worker processes with
injected faults, prints each finding as it is detected and a summary of faults against findings.

options:
  --duration <s>     give the fleet <s> seconds, once started, to show every fault (default
                     ${DEFAULT_DURATION_SECONDS}; earlier once all are found), then end by itself; without it
                     a terminal session stays up after the summary until Ctrl-C
  --port <n>         API and findings page port (default ${DEFAULT_PORT}; a free port when taken)
  --otlp-port <n>    OTLP/HTTP port the workers send to (default ${DEFAULT_OTLP_PORT}; a free port when taken)
  --data-dir <dir>   keep the analyzer's SQLite file here (default: a temporary directory, removed)
  --no-redis         use the generic adapter and an in-process queue even when Redis is reachable
  --faults <ids>     inject only these faults, comma-separated (default: all of busy-host, silent-call,
                     hung-job, poison-job, blocked-loop, upstream-outage, stuck-worker, missed-checkin,
                     killed-worker, lock-lost; lock-lost needs Redis)
  -h, --help         show this help

Exit status: 0 when every injected fault was found and no false finding appeared.`;

const SYNTAX = {
  allowPositionals: false,
  options: {
    duration: { type: 'string' },
    port: { type: 'string' },
    'otlp-port': { type: 'string' },
    'data-dir': { type: 'string' },
    'no-redis': { type: 'boolean' },
    faults: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
} as const satisfies CommandSyntax;

export const demoCommand: Command = {
  summary: 'run a simulated worker fleet with injected faults and watch joblens find them',
  usage: USAGE,
  syntax: SYNTAX,
  async run(argv) {
    const { values } = parseCommandLine('demo', SYNTAX, argv);
    if (values.help) {
      process.stdout.write(`${USAGE}\n`);
      return 0;
    }
    const options = {
      durationSeconds: readNumber('--duration', values.duration, 1),
      port: readNumber('--port', values.port, 0),
      otlpPort: readNumber('--otlp-port', values['otlp-port'], 0),
      dataDir: values['data-dir'],
      redis: !values['no-redis'],
      faults: readFaults(values.faults),
    };
    // Loaded on use: the fleet brings BullMQ and the analyzer, which other commands need not pay for.
    const { runDemo } = await import('@joblens/demo');
    return runDemo(options);
  },
};

function readFaults(text: string | undefined): string[] | undefined {
  if (text === undefined) return undefined;
  const ids = text
    .split(',')
    .map((id) => id.trim())
    .filter((id) => id !== '');
  const known = buildScenario('').faults.map((fault) => fault.id);
  const unknown = ids.filter((id) => !known.includes(id));
  if (ids.length === 0 || unknown.length > 0) {
    throw new CliError(`--faults takes fault ids from ${known.join(', ')}; got ${JSON.stringify(text)}`, 2);
  }
  return ids;
}

function readNumber(flag: string, text: string | undefined, min: number): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (text.trim() === '' || !Number.isInteger(value) || value < min) {
    throw new CliError(`${flag} must be a whole number of at least ${min}, got ${JSON.stringify(text)}`, 2);
  }
  return value;
}
