import type { Finding } from '@joblens/analyzer';
import { AnalyzerClient } from '../analyzer-client.js';
import type { Command, CommandSyntax } from '../command.js';
import { parseCommandLine } from '../parse-command-line.js';
import { readUntil } from '../read-until.js';
import { readFindingId } from './ack.js';

const USAGE = `usage: joblens snooze <finding-id> --until <time> [--by NAME] [--url URL] [--token TOKEN]

Snoozes an open finding: no reminder and no raised-severity alert for it until the time given. The snooze
ends by itself; if the finding is still open and unacknowledged then, a reminder goes out.

  --until <time>  an ISO time (2026-01-01T09:00:00Z) or a duration from now (30m, 2h, 1d)
  --by <name>     who snoozes, for the record (optional)
  --url <url>     the analyzer's API (default JOBLENS_URL, else http://127.0.0.1:4320)
  --token <t>     the admin token (default JOBLENS_ADMIN_TOKEN, else JOBLENS_TOKEN)
  -h, --help      show this help`;

const SYNTAX = {
  allowPositionals: true,
  options: {
    until: { type: 'string' },
    by: { type: 'string' },
    url: { type: 'string' },
    token: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
} as const satisfies CommandSyntax;

export const snoozeCommand: Command = {
  summary: 'snooze an open finding until a time or for a duration',
  usage: USAGE,
  syntax: SYNTAX,
  async run(argv) {
    const { values, positionals } = parseCommandLine('snooze', SYNTAX, argv);
    if (values.help) {
      process.stdout.write(`${USAGE}\n`);
      return 0;
    }
    const id = readFindingId(positionals);
    const until = readUntil(values.until, Date.now());
    const client = new AnalyzerClient({ url: values.url, token: values.token });
    const { finding } = await client.postJson<{ finding: Finding }>(
      `/api/findings/${encodeURIComponent(id)}/snooze`,
      values.by ? { until, by: values.by } : { until },
    );
    process.stdout.write(
      `snoozed ${finding.id} until ${new Date(finding.snoozedUntil ?? 0).toISOString()}\n`,
    );
    return 0;
  },
};
