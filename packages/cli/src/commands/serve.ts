import { resolve } from 'node:path';
import {
  type AnalyzerConfig,
  ConfigError,
  createAnalyzer,
  DETECTOR_DEFAULTS,
  describeDatabaseUrl,
  IN_MEMORY_DATA_DIR,
  loadConfig,
  roleTokens,
  STRING_SETTINGS,
  TOKEN_FILE_SETTINGS,
  unprotectedExposure,
} from '@joblens/analyzer';
import { CliError } from '../cli-error.js';
import type { Command, CommandSyntax } from '../command.js';
import { parseCommandLine } from '../parse-command-line.js';

const USAGE = `usage: joblens serve [options]

Runs the analyzer: receives OTLP from workers, raises findings, serves the page, API and /metrics.
Flags win over JOBLENS_* environment variables, which win over the config file.

options:
  --otlp-port <port>           OTLP/HTTP port (default 4318; JOBLENS_OTLP_PORT)
  --port <port>                page, API, /metrics and /ping port (default 4320; JOBLENS_PORT)
  --host <address>             interface both bind to (default 127.0.0.1; JOBLENS_HOST)
  --data-dir <dir>             where joblens.db lives (default ./.joblens; JOBLENS_DATA_DIR)
  --database-url <url>         postgres://… : keep findings, monitors, history and alerts in
                               PostgreSQL, shared by several analyzers (JOBLENS_DATABASE_URL)
  --history-retention-days <n> prune finished attempts and resolved findings older than this
                               (default 7; JOBLENS_HISTORY_RETENTION_DAYS)
  --history-max-bytes <n>      prune the job history past this size (default 1073741824, 1 GiB;
                               JOBLENS_HISTORY_MAX_BYTES)
  --config <file>              YAML or JSON config: detectors, monitors, ... (JOBLENS_CONFIG)
  --token <token>              token for every role without its own (JOBLENS_TOKEN)
  --ingest-token <token>       token for OTLP and /ping (JOBLENS_INGEST_TOKEN)
  --read-token <token>         token for the page, API GETs and /metrics (JOBLENS_READ_TOKEN)
  --admin-token <token>        token for every change: monitors, acknowledge, snooze
                               (JOBLENS_ADMIN_TOKEN)
  --token-file <file>, --ingest-token-file <file>, --read-token-file <file>,
  --admin-token-file <file>    the same tokens read from a file, so they do not show in ps
                               (JOBLENS_TOKEN_FILE, JOBLENS_INGEST_TOKEN_FILE, ...)
  --insecure-no-auth           start on a non-loopback --host without tokens (a trusted network only)
  --trust-proxy                believe X-Forwarded-Proto/-Host from a proxy in front: the page's cookie
                               gets Secure behind https (JOBLENS_TRUST_PROXY)
  --jaeger-url <url>           Jaeger UI for trace links (JOBLENS_JAEGER_URL)
  --alert-webhook-url <url>    Slack-compatible webhook for finding changes (JOBLENS_ALERT_WEBHOOK_URL)
  --evaluation-interval-millis <ms>
                               how often detectors run (default 1000;
                               JOBLENS_EVALUATION_INTERVAL_MILLIS)
  --max-body-bytes <n>         largest OTLP body, before and after gzip (default 8388608, 8 MiB;
                               JOBLENS_MAX_BODY_BYTES)
  -h, --help                   show this help`;

/**
 * Every analyzer setting that a `JOBLENS_*` variable can give is a flag too, taken from the analyzer's own
 * table, so a setting added there cannot be missing here (the help test then asks for its line above).
 */
const SETTING_OPTIONS = Object.fromEntries(
  Object.values(STRING_SETTINGS).map((setting) => [
    setting.flag,
    { type: setting.kind === 'boolean' ? 'boolean' : 'string' },
  ]),
) as Record<(typeof STRING_SETTINGS)[keyof typeof STRING_SETTINGS]['flag'], { type: 'string' | 'boolean' }>;

const TOKEN_FILE_OPTIONS = Object.fromEntries(
  Object.values(TOKEN_FILE_SETTINGS).map((setting) => [setting.flag, { type: 'string' }]),
) as Record<(typeof TOKEN_FILE_SETTINGS)[keyof typeof TOKEN_FILE_SETTINGS]['flag'], { type: 'string' }>;

/** Each flag but `--help` is read by the analyzer's `loadConfig`, by its flag name. */
const SYNTAX = {
  allowPositionals: false,
  options: {
    ...SETTING_OPTIONS,
    ...TOKEN_FILE_OPTIONS,
    'insecure-no-auth': { type: 'boolean' },
    config: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
} as const satisfies CommandSyntax;

export const serveCommand: Command = {
  summary: 'run the analyzer (OTLP receiver, findings page, API, /metrics)',
  usage: USAGE,
  syntax: SYNTAX,
  async run(argv) {
    const config = readServeConfig(argv, process.env);
    if (config === 'help') {
      process.stdout.write(`${USAGE}\n`);
      return 0;
    }
    const analyzer = createAnalyzer(config);
    let urls: Awaited<ReturnType<typeof analyzer.start>>;
    try {
      urls = await analyzer.start();
    } catch (error) {
      // Close the database and the monitors' timers, or the failed process would linger.
      await analyzer.stop();
      throw error;
    }
    const { otlpUrl, apiUrl } = urls;
    const database = config.databaseUrl
      ? describeDatabaseUrl(config.databaseUrl)
      : config.dataDir === IN_MEMORY_DATA_DIR
        ? 'in memory (nothing kept)'
        : resolve(config.dataDir, 'joblens.db');
    process.stdout.write(
      `${[
        'joblens analyzer running',
        `  OTLP/HTTP  ${otlpUrl}  (point OTEL_EXPORTER_OTLP_ENDPOINT here)`,
        `  findings   ${apiUrl}/`,
        `  API        ${apiUrl}/api/findings`,
        `  metrics    ${apiUrl}/metrics`,
        `  database   ${database}`,
        tokensLine(config),
        'Ctrl-C stops it.',
      ]
        .filter(Boolean)
        .join('\n')}\n`,
    );
    const signal = await untilStopSignal();
    process.stdout.write(`joblens analyzer stopping (${signal})\n`);
    await analyzer.stop();
    return 0;
  },
};

/**
 * The analyzer's configuration from `serve`'s flags, the `JOBLENS_*` variables in `env` and the config
 * file they name; `'help'` when asked for help. Bad usage and bad values throw a CliError with exit code 2.
 */
export function readServeConfig(
  argv: readonly string[],
  env: Record<string, string | undefined>,
): AnalyzerConfig | 'help' {
  const { values } = parseCommandLine('serve', SYNTAX, argv);
  if (values.help) return 'help';
  const { help: _help, 'insecure-no-auth': insecureNoAuth, ...given } = values;
  // Switches arrive as booleans; loadConfig reads every flag as text, as it reads variables.
  const flags = Object.fromEntries(
    Object.entries(given).map(([name, value]) => [name, typeof value === 'boolean' ? String(value) : value]),
  );
  let config: AnalyzerConfig;
  try {
    config = loadConfig({ flags, env, detectorDefaults: DETECTOR_DEFAULTS });
  } catch (error) {
    if (error instanceof ConfigError) throw new CliError(error.message, 2);
    throw error;
  }
  const exposure = insecureNoAuth ? undefined : unprotectedExposure(config);
  if (exposure) throw new CliError(exposure, 2);
  return config;
}

/** Which roles need a token, for the start banner; never the tokens themselves. */
function tokensLine(config: AnalyzerConfig): string {
  const tokens = roleTokens(config);
  const guarded = (['ingest', 'read', 'admin'] as const).filter((role) => tokens[role]);
  if (guarded.length === 0)
    return '  tokens     none: anyone who reaches these ports may ingest, read and change';
  return `  tokens     required for ${guarded.join(', ')} (Authorization: Bearer ...)`;
}

/** Resolves on the first SIGINT or SIGTERM; a second one means "now", and exits at once. */
function untilStopSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolveSignal) => {
    let stopping = false;
    const onSignal = (signal: NodeJS.Signals) => {
      if (stopping) process.exit(130);
      stopping = true;
      resolveSignal(signal);
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
}
