import { AnalyzerClient } from '../analyzer-client.js';
import { CliError } from '../cli-error.js';
import type { Command, CommandSyntax } from '../command.js';
import { parseCommandLine } from '../parse-command-line.js';

const USAGE = `usage: joblens explain <finding-id> [--json] [--url URL] [--token TOKEN]

Prints a compact, self-contained account of one finding to paste into an incident ticket or an LLM:
what happened in order, the job's steps with timings, the relevant attributes, snapshot and dump, the
worker's state and similar findings. Secrets are redacted. Markdown by default.

  --json         print JSON instead of Markdown
  --url <url>    the analyzer's API (default JOBLENS_URL, else http://127.0.0.1:4320)
  --token <t>    bearer token (default $JOBLENS_READ_TOKEN, else $JOBLENS_TOKEN)
  -h, --help     show this help`;

const SYNTAX = {
  allowPositionals: true,
  options: {
    json: { type: 'boolean' },
    url: { type: 'string' },
    token: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
} as const satisfies CommandSyntax;

export const explainCommand: Command = {
  summary: 'print one finding as Markdown (or JSON) for a ticket or an LLM',
  usage: USAGE,
  syntax: SYNTAX,
  async run(argv) {
    const { values, positionals } = parseCommandLine('explain', SYNTAX, argv);
    if (values.help) {
      process.stdout.write(`${USAGE}\n`);
      return 0;
    }
    const [id] = positionals;
    if (positionals.length !== 1 || !id)
      throw new CliError(`expected one finding id, got ${positionals.length}`, 2);
    const client = new AnalyzerClient({ url: values.url, token: values.token });
    const path = `/api/findings/${encodeURIComponent(id)}/context`;
    if (values.json) {
      const explanation = await client.getJson(path, { format: 'json' });
      process.stdout.write(`${JSON.stringify(explanation, null, 2)}\n`);
    } else {
      process.stdout.write(await client.getText(path, { format: 'markdown' }, 'text/markdown'));
    }
    return 0;
  },
};
