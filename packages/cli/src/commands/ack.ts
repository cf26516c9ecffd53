import { userInfo } from 'node:os';
import type { Finding } from '@joblens/analyzer';
import { AnalyzerClient } from '../analyzer-client.js';
import { CliError } from '../cli-error.js';
import type { Command, CommandSyntax } from '../command.js';
import { parseCommandLine } from '../parse-command-line.js';

const USAGE = `usage: joblens ack <finding-id> [--by NAME] [--url URL] [--token TOKEN]

Acknowledges an open finding: someone has it, so no more reminders go out for it. The analyzer records
who and when, shows it on the page and in 'joblens findings', and tells the alert channels.

  --by <name>    who acknowledges (default: your login name)
  --url <url>    the analyzer's API (default JOBLENS_URL, else http://127.0.0.1:4320)
  --token <t>    the admin token (default JOBLENS_ADMIN_TOKEN, else JOBLENS_TOKEN)
  -h, --help     show this help`;

const SYNTAX = {
  allowPositionals: true,
  options: {
    by: { type: 'string' },
    url: { type: 'string' },
    token: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
} as const satisfies CommandSyntax;

export const ackCommand: Command = {
  summary: 'acknowledge an open finding, so no more reminders go out for it',
  usage: USAGE,
  syntax: SYNTAX,
  async run(argv) {
    const { values, positionals } = parseCommandLine('ack', SYNTAX, argv);
    if (values.help) {
      process.stdout.write(`${USAGE}\n`);
      return 0;
    }
    const id = readFindingId(positionals);
    const by = values.by ?? loginName();
    const client = new AnalyzerClient({ url: values.url, token: values.token });
    const { finding } = await client.postJson<{ finding: Finding }>(
      `/api/findings/${encodeURIComponent(id)}/acknowledge`,
      { by },
    );
    process.stdout.write(
      `acknowledged ${finding.id} by ${finding.acknowledgedBy} at ${new Date(finding.acknowledgedAt ?? 0).toISOString()}\n`,
    );
    return 0;
  },
};

/** The one finding id an action takes. */
export function readFindingId(positionals: string[]): string {
  const [id] = positionals;
  if (positionals.length !== 1 || !id)
    throw new CliError(`expected one finding id, got ${positionals.length}`, 2);
  return id;
}

function loginName(): string {
  try {
    return userInfo().username || 'cli';
  } catch {
    // No passwd entry for the uid (some containers): still an acknowledgement, by an unnamed CLI user.
    return 'cli';
  }
}
