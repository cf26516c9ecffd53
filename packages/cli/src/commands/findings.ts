import type { ApiFinding, Finding } from '@joblens/analyzer';
import { AnalyzerClient } from '../analyzer-client.js';
import type { Command, CommandSyntax } from '../command.js';
import { parseCommandLine } from '../parse-command-line.js';

const USAGE = `usage: joblens findings [options]

Lists the analyzer's findings, newest first.

options:
  --type <type>        only this finding type (mystery_gap, silent_worker, ...)
  --status <status>    open or resolved
  --service <name>     only findings about this service
  --queue <name>       only findings about this queue
  --worker <id>        only findings about this worker (service.instance.id)
  --limit <n>          at most n findings (default 100)
  --json               print the findings as JSON instead of a table
  --url <url>          analyzer API (default $JOBLENS_URL or http://127.0.0.1:4320)
  --token <token>      bearer token (default $JOBLENS_READ_TOKEN, else $JOBLENS_TOKEN)
  -h, --help           show this help`;

const SYNTAX = {
  allowPositionals: false,
  options: {
    type: { type: 'string' },
    status: { type: 'string' },
    service: { type: 'string' },
    queue: { type: 'string' },
    worker: { type: 'string' },
    limit: { type: 'string' },
    json: { type: 'boolean' },
    url: { type: 'string' },
    token: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
} as const satisfies CommandSyntax;

export const findingsCommand: Command = {
  summary: 'list findings from a running analyzer',
  usage: USAGE,
  syntax: SYNTAX,
  async run(argv) {
    const { values } = parseCommandLine('findings', SYNTAX, argv);
    if (values.help) {
      process.stdout.write(`${USAGE}\n`);
      return 0;
    }
    const client = new AnalyzerClient({ url: values.url, token: values.token });
    const { findings } = await client.getJson<{ findings: ListedFinding[] }>('/api/findings', {
      type: values.type,
      status: values.status,
      service: values.service,
      queue: values.queue,
      worker: values.worker,
      limit: values.limit,
    });
    if (values.json) process.stdout.write(`${JSON.stringify(findings, null, 2)}\n`);
    else process.stdout.write(`${formatFindingsTable(findings, Date.now())}\n`);
    return 0;
  },
};

const SUMMARY_WIDTH = 90;
const ACTOR_WIDTH = 20;

/** A finding as `/api/findings` lists it; an analyzer from before the incident lifecycle sends no `state`. */
type ListedFinding = Finding & Partial<Pick<ApiFinding, 'state'>>;

/**
 * A fixed-width table: id, type, status, severity, subject, last seen, summary. STATUS is where the
 * finding stands for people: `acknowledged by alice`, `snoozed until 2026-03-02 12:00Z`, open or resolved.
 */
function formatFindingsTable(findings: readonly ListedFinding[], now: number): string {
  if (findings.length === 0) return 'no findings';
  const rows = findings.map((f) => [
    f.id,
    f.type,
    describeState(f),
    f.severity,
    describeSubject(f),
    `${describeAge(now - f.lastSeen)} ago`,
    truncate(f.summary, SUMMARY_WIDTH),
  ]);
  const header = ['ID', 'TYPE', 'STATUS', 'SEVERITY', 'SUBJECT', 'LAST SEEN', 'SUMMARY'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}

function describeState(f: ListedFinding): string {
  const state = f.state ?? f.status;
  if (state === 'acknowledged' && f.acknowledgedBy)
    return `acknowledged by ${truncate(f.acknowledgedBy, ACTOR_WIDTH)}`;
  if (state === 'snoozed' && f.snoozedUntil !== undefined)
    return `snoozed until ${new Date(f.snoozedUntil).toISOString().slice(0, 16).replace('T', ' ')}Z`;
  return state;
}

function describeSubject(f: Finding): string {
  const s = f.subject;
  const path = [s.service, s.queue, s.jobName].filter(Boolean).join('/');
  const extra = s.worker ?? s.monitor ?? s.jobId;
  return [path, extra && `@${extra}`].filter(Boolean).join(' ') || '-';
}

function describeAge(millis: number): string {
  const seconds = Math.max(0, Math.round(millis / 1000));
  if (seconds < 60) return `${seconds}s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m`;
  if (seconds < 86_400) return `${Math.floor(seconds / 3600)}h`;
  return `${Math.floor(seconds / 86_400)}d`;
}

function truncate(text: string, width: number): string {
  const oneLine = text.replace(/\s+/g, ' ');
  return oneLine.length <= width ? oneLine : `${oneLine.slice(0, width - 1)}…`;
}
