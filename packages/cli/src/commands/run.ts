import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { constants } from 'node:os';
import { basename } from 'node:path';
import { type Joblens, startJoblens } from '@joblens/sdk';
import {
  ATTR_PROCESS_COMMAND_LINE,
  ATTR_PROCESS_EXIT_CODE,
  ATTR_RUN_OUTPUT_TAIL,
  MAX_RUN_OUTPUT_TAIL_BYTES,
} from '@joblens/semconv';
import { DEFAULT_ANALYZER_URL } from '../analyzer-client.js';
import { CliError } from '../cli-error.js';
import type { Command, CommandSyntax } from '../command.js';
import { parseCommandLine } from '../parse-command-line.js';

const USAGE = `usage: joblens run --monitor <slug> [options] -- <command> [args...]

Runs the command with its output passed through, checks in to the heartbeat monitor (start, then
success or its exit code) and records the run as a job span. Exits with the command's exit code.

options:
  --monitor <slug>         the monitor to check in to (required)
  --url <url>              the analyzer's API (default: JOBLENS_URL, else ${DEFAULT_ANALYZER_URL})
  --endpoint <url>         alias of --url (this command's former name for it)
  --otlp-endpoint <url>    where the span goes (default: OTEL_EXPORTER_OTLP_ENDPOINT, else http://localhost:4318)
  --token <token>          the ingest token, for pings and telemetry (default: JOBLENS_INGEST_TOKEN,
                           else JOBLENS_TOKEN)
  --service <name>         service.name of the span (default: OTEL_SERVICE_NAME, else joblens-run)
  -h, --help               show this help`;

const SYNTAX = {
  allowPositionals: false,
  passThroughAfterSeparator: true,
  options: {
    monitor: { type: 'string' },
    url: { type: 'string' },
    endpoint: { type: 'string' },
    'otlp-endpoint': { type: 'string' },
    token: { type: 'string' },
    service: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
} as const satisfies CommandSyntax;

/** A ping must never hold the job up: the analyzer answers in milliseconds or is treated as away. */
const PING_TIMEOUT_MILLIS = 3000;
/** Bound on sending the span at the end, so an unreachable collector adds seconds, not minutes. */
const TELEMETRY_FLUSH_MILLIS = 5000;

interface RunOptions {
  monitor: string;
  /** The analyzer's API, without a trailing slash. */
  url: string;
  otlpEndpoint?: string;
  token?: string;
  service: string;
  command: string;
  args: string[];
}

function parseRunArgs(argv: string[]): RunOptions | 'help' {
  const { values, passThrough } = parseCommandLine('run', SYNTAX, argv);
  if (values.help) return 'help';
  if (!values.monitor) throw new CliError("--monitor <slug> is required; see 'joblens run --help'", 2);
  if (!passThrough || passThrough.length === 0)
    throw new CliError("give the command after --; see 'joblens run --help'", 2);
  // `--endpoint` was this command's name for what every other command calls `--url`; scripts that use it
  // keep working, but two different values would leave one silently ignored.
  if (values.url !== undefined && values.endpoint !== undefined && values.url !== values.endpoint)
    throw new CliError('--endpoint is the old name of --url; give one of them', 2);
  const source =
    values.url !== undefined ? '--url' : values.endpoint !== undefined ? '--endpoint' : 'JOBLENS_URL';
  const url = (values.url ?? values.endpoint ?? (process.env.JOBLENS_URL || DEFAULT_ANALYZER_URL)).replace(
    /\/+$/,
    '',
  );
  if (!/^https?:\/\/./.test(url))
    throw new CliError(`${source} must be an http(s) URL, got ${JSON.stringify(url)}`, 2);
  // Pings and spans are the ingest role's; the shared token stands in when it has no token of its own.
  const token = values.token ?? (process.env.JOBLENS_INGEST_TOKEN || process.env.JOBLENS_TOKEN);
  return {
    monitor: values.monitor,
    url,
    ...(values['otlp-endpoint'] ? { otlpEndpoint: values['otlp-endpoint'] } : {}),
    ...(token ? { token } : {}),
    service: values.service ?? process.env.OTEL_SERVICE_NAME ?? 'joblens-run',
    command: passThrough[0],
    args: passThrough.slice(1),
  };
}

/** Says once that the analyzer or the collector is away; the command's own output matters more. */
function oneWarning(): (message: string) => void {
  let warned = false;
  return (message) => {
    if (warned) return;
    warned = true;
    process.stderr.write(`joblens run: ${message}; the command runs anyway\n`);
  };
}

async function ping(
  options: RunOptions,
  path: string,
  body: string | undefined,
  warn: (m: string) => void,
): Promise<void> {
  const url = `${options.url}/ping/${encodeURIComponent(options.monitor)}${path}`;
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'text/plain; charset=utf-8',
        ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      },
      body: body ?? '',
      signal: AbortSignal.timeout(PING_TIMEOUT_MILLIS),
    });
    if (!res.ok)
      warn(`the analyzer refused the ping ${url}: ${res.status} ${(await res.text()).slice(0, 200)}`);
  } catch (error) {
    const cause = (error as Error).cause;
    const why = cause instanceof Error ? cause.message : (error as Error).message;
    warn(`cannot reach the analyzer at ${options.url} (${why})`);
  }
}

/** The last {@link MAX_RUN_OUTPUT_TAIL_BYTES} bytes written to stdout and stderr, in the order written. */
class OutputTail {
  private chunks: Buffer[] = [];
  private bytes = 0;

  add(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.bytes += chunk.length;
    while (this.chunks.length > 1 && this.bytes - this.chunks[0].length >= MAX_RUN_OUTPUT_TAIL_BYTES) {
      this.bytes -= (this.chunks.shift() as Buffer).length;
    }
  }

  text(): string {
    return Buffer.concat(this.chunks).subarray(-MAX_RUN_OUTPUT_TAIL_BYTES).toString('utf8');
  }
}

interface Finished {
  exitCode: number;
  /** Set when the command could not be started at all. */
  startError?: string;
}

/**
 * Runs the command with stdin inherited and stdout/stderr piped and copied byte for byte to ours
 * (piping is what lets us keep the tail), forwarding SIGINT and SIGTERM to it while it runs.
 */
function runChild(options: RunOptions, tail: OutputTail): Promise<Finished> {
  return new Promise((resolve) => {
    const child = spawn(options.command, options.args, { stdio: ['inherit', 'pipe', 'pipe'] });
    const forward = (signal: NodeJS.Signals) => () => child.kill(signal);
    const onInt = forward('SIGINT');
    const onTerm = forward('SIGTERM');
    process.on('SIGINT', onInt);
    process.on('SIGTERM', onTerm);
    const done = (finished: Finished) => {
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
      resolve(finished);
    };
    for (const [from, to] of [
      [child.stdout, process.stdout],
      [child.stderr, process.stderr],
    ] as const) {
      from.on('data', (chunk: Buffer) => {
        tail.add(chunk);
        // Respect the terminal's pace instead of buffering a chatty command's output without bound.
        if (!to.write(chunk)) {
          from.pause();
          to.once('drain', () => from.resume());
        }
      });
    }
    child.once('error', (error: NodeJS.ErrnoException) => {
      const exitCode = error.code === 'ENOENT' ? 127 : 126;
      const why =
        error.code === 'ENOENT'
          ? 'command not found'
          : `cannot start the command (${error.code ?? error.message})`;
      done({ exitCode, startError: `${why}: ${options.command}` });
    });
    // 'close' waits for the pipes to drain too, so the tail is complete when we report it.
    child.once('close', (code, signal) => {
      const exitCode = code ?? 128 + (signal ? (constants.signals[signal] ?? 0) : 0);
      done({ exitCode });
    });
  });
}

async function withinMillis(promise: Promise<unknown>, millis: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    promise.catch(() => {}),
    new Promise((resolve) => (timer = setTimeout(resolve, millis))),
  ]);
  clearTimeout(timer);
}

class CommandFailed extends Error {
  constructor(readonly exitCode: number) {
    super(`the command exited with code ${exitCode}`);
    this.name = 'CommandFailed';
  }
}

async function runMonitored(options: RunOptions): Promise<number> {
  const warn = oneWarning();
  let joblens: Joblens | undefined;
  try {
    joblens = startJoblens({
      serviceName: options.service,
      ...(options.otlpEndpoint ? { endpoint: options.otlpEndpoint } : {}),
      ...(options.token ? { headers: { authorization: `Bearer ${options.token}` } } : {}),
      // The command gets the signals (we forward them); the SDK must not flush-and-exit on its own.
      flushOnSignals: false,
      dumpSignal: false,
      watchdog: { enabled: false },
      onError: (error) => warn(`sending telemetry failed (${error.message})`),
    });
  } catch (error) {
    warn(`telemetry is off (${(error as Error).message})`);
  }
  const tail = new OutputTail();
  let finished: Finished | undefined;
  const work = async (
    runId: string,
    span?: { setAttribute(key: string, value: string | number): unknown },
  ) => {
    // The attempt's span id doubles as the run id: the start ping and the `job started` record open the
    // same run, and the end ping and the span close it once between them.
    await ping(options, `/start?rid=${runId}`, undefined, warn);
    finished = await runChild(options, tail);
    const output = finished.startError ? `${finished.startError}\n` : tail.text();
    span?.setAttribute(ATTR_PROCESS_EXIT_CODE, finished.exitCode);
    span?.setAttribute(ATTR_RUN_OUTPUT_TAIL, output);
    await ping(
      options,
      `${finished.exitCode === 0 ? '' : `/${finished.exitCode}`}?rid=${runId}`,
      output,
      warn,
    );
    if (finished.exitCode !== 0) throw new CommandFailed(finished.exitCode);
  };
  try {
    if (joblens) {
      await joblens.runAttempt(
        {
          queue: options.monitor,
          jobName: options.monitor,
          jobId: `${options.monitor}:${Date.now()}`,
          monitorSlug: options.monitor,
          readyAtMs: Date.now(),
          attributes: {
            [ATTR_PROCESS_COMMAND_LINE]: [basename(options.command), ...options.args]
              .join(' ')
              .slice(0, 1000),
          },
        },
        (ctx) => work(ctx.spanId, ctx.span),
      );
    } else {
      await work(randomUUID());
    }
  } catch (error) {
    if (!(error instanceof CommandFailed)) throw error;
  } finally {
    if (joblens) await withinMillis(joblens.shutdown(), TELEMETRY_FLUSH_MILLIS);
  }
  const result = finished as Finished | undefined;
  if (!result) throw new Error('the command did not run');
  if (result.startError) process.stderr.write(`joblens run: ${result.startError}\n`);
  return result.exitCode;
}

export const runCommand: Command = {
  summary: 'run a command under a heartbeat monitor: pings, a job span, its exit code',
  usage: USAGE,
  syntax: SYNTAX,
  async run(argv) {
    const options = parseRunArgs(argv);
    if (options === 'help') {
      process.stdout.write(`${USAGE}\n`);
      return 0;
    }
    return runMonitored(options);
  },
};
