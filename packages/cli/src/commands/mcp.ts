import { createRequire } from 'node:module';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { AnalyzerClient } from '../analyzer-client.js';
import type { Command, CommandSyntax } from '../command.js';
import { createJoblensMcpServer } from '../mcp/joblens-mcp-server.js';
import { parseCommandLine } from '../parse-command-line.js';

const USAGE = `usage: joblens mcp [--url URL] [--token TOKEN]

Serves the analyzer's findings and job history to an assistant over the Model Context Protocol, on
stdin and stdout. Its tools: list_findings, search_findings, explain_finding (redacted as 'explain' is),
search_jobs, job_attempts and list_workers. It reads a running analyzer over HTTP and writes nothing but
protocol messages to stdout; it ends when stdin closes.

  --url <url>    the analyzer's API (default $JOBLENS_URL, else http://127.0.0.1:4320)
  --token <t>    bearer token (default $JOBLENS_READ_TOKEN, else $JOBLENS_TOKEN)
  -h, --help     show this help`;

const SYNTAX = {
  allowPositionals: false,
  options: {
    url: { type: 'string' },
    token: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
} as const satisfies CommandSyntax;

export const mcpCommand: Command = {
  summary: 'serve findings and job history to an assistant over MCP (stdio)',
  usage: USAGE,
  syntax: SYNTAX,
  async run(argv) {
    const { values } = parseCommandLine('mcp', SYNTAX, argv);
    if (values.help) {
      process.stdout.write(`${USAGE}\n`);
      return 0;
    }
    const client = new AnalyzerClient({ url: values.url, token: values.token });
    const server = createJoblensMcpServer(client, cliVersion());
    const transport = new StdioServerTransport();
    const closed = new Promise<void>((resolve) => {
      transport.onclose = resolve;
    });
    await server.connect(transport);
    // The client ends the session by closing our stdin; the transport does not notice that by itself.
    process.stdin.once('end', () => void server.close());
    process.stderr.write(`joblens mcp: serving ${client.baseUrl} over stdio\n`);
    await closed;
    return 0;
  },
};

function cliVersion(): string {
  return (createRequire(import.meta.url)('../../package.json') as { version: string }).version;
}
