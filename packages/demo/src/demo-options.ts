import type { OutputStream } from './terminal-output.js';

/** `joblens demo`'s options. All optional. */
export interface DemoOptions {
  /**
   * Seconds the fleet runs, from the moment it is ready, before the summary (earlier once every fault is
   * found and a quiet period has passed). Default 90. Given, it also makes the demo end by itself after
   * the summary, even at a terminal.
   */
  durationSeconds?: number;
  /** API and findings page port. Default 4320; a free port when taken. */
  port?: number;
  /** OTLP/HTTP port the workers send to. Default 4318; a free port when taken. */
  otlpPort?: number;
  /** Where the analyzer keeps its SQLite file; kept after the demo. Default: a temporary directory, removed. */
  dataDir?: string;
  /**
   * Where to write a Prometheus configuration that scrapes this run's analyzer and workers. Default:
   * `prometheus.yml` in the data directory.
   */
  prometheusConfigFile?: string;
  /** Use BullMQ on Redis when one answers (REDIS_URL, else 127.0.0.1:6379). Default true. */
  redis?: boolean;
  /** Inject only these faults (by id) and start only the hosts they and the healthy traffic need. Default: all. */
  faults?: string[];
  /** Seconds without new false findings, after every fault is found, before the demo ends early. Default 10. */
  quietSeconds?: number;
  /** Stops the demo as Ctrl-C does (cleaning up, resolving with 130), for a caller running it from code. */
  signal?: AbortSignal;
  /** Default process.stdout. */
  stdout?: OutputStream;
  /** Default: process.stdout.isTTY. */
  isTty?: boolean;
  /** Default process.env (reads CI and REDIS_URL). */
  env?: NodeJS.ProcessEnv;
}

export interface ResolvedDemoOptions {
  /** Seconds the demo gives the faults to be found before its summary. */
  durationSeconds: number;
  /** A person at a TTY, no CI and no --duration: the analyzer stays up after the summary until Ctrl-C. */
  interactive: boolean;
  port: number;
  otlpPort: number;
  dataDir?: string;
  prometheusConfigFile?: string;
  redis: boolean;
  faults?: string[];
  quietSeconds: number;
  signal?: AbortSignal;
  stdout: OutputStream;
  isTty: boolean;
  env: NodeJS.ProcessEnv;
}

export const DEFAULT_DURATION_SECONDS = 90;
export const DEFAULT_PORT = 4320;
export const DEFAULT_OTLP_PORT = 4318;
export const DEFAULT_QUIET_SECONDS = 10;

/** Applies defaults and rejects bad values, naming the option, what it takes and what it got. */
export function resolveDemoOptions(options: DemoOptions = {}): ResolvedDemoOptions {
  const env = options.env ?? process.env;
  const isTty = options.isTty ?? Boolean(process.stdout.isTTY);
  checkNumber('durationSeconds', options.durationSeconds, 1, 86_400);
  checkNumber('port', options.port, 0, 65_535);
  checkNumber('otlpPort', options.otlpPort, 0, 65_535);
  checkNumber('quietSeconds', options.quietSeconds, 0, 3600);
  if (options.faults !== undefined && options.faults.length === 0) {
    throw new Error('demo: option faults must name at least one fault, got an empty list');
  }
  if (options.dataDir !== undefined && options.dataDir.trim() === '') {
    throw new Error('demo: option dataDir must be a directory path, got an empty string');
  }
  if (options.prometheusConfigFile !== undefined && options.prometheusConfigFile.trim() === '') {
    throw new Error('demo: option prometheusConfigFile must be a file path, got an empty string');
  }
  const interactive = isTty && !env.CI && options.durationSeconds === undefined;
  return {
    durationSeconds: options.durationSeconds ?? DEFAULT_DURATION_SECONDS,
    interactive,
    port: options.port ?? DEFAULT_PORT,
    otlpPort: options.otlpPort ?? DEFAULT_OTLP_PORT,
    dataDir: options.dataDir,
    prometheusConfigFile: options.prometheusConfigFile,
    redis: options.redis ?? true,
    faults: options.faults,
    quietSeconds: options.quietSeconds ?? DEFAULT_QUIET_SECONDS,
    signal: options.signal,
    stdout: options.stdout ?? process.stdout,
    isTty,
    env,
  };
}

function checkNumber(name: string, value: number | undefined, min: number, max: number): void {
  if (value === undefined) return;
  if (!Number.isFinite(value) || value < min || value > max) {
    throw new Error(`demo: option ${name} must be a number from ${min} to ${max}, got ${String(value)}`);
  }
}
