import type { ApiJobDetail, JobPage, JobSummary } from '@joblens/analyzer';
import { AnalyzerClient } from '../analyzer-client.js';
import { CliError } from '../cli-error.js';
import type { Command, CommandSyntax } from '../command.js';
import { parseCommandLine } from '../parse-command-line.js';
import { formatJobDetail, formatJobsTable } from './jobs-format.js';

const USAGE = `usage: joblens jobs [filters] [--json]
       joblens jobs show <service> <queue> <job-id> [--json]
       joblens jobs show --id <job-id> [--json]

Searches the analyzer's job history: every stored job, newest first, filtered on its latest attempt.
'show' prints one job's attempts, its findings and a timeline across its retries.

filters:
  --queue <name>       only jobs of this queue
  --name <name>        only jobs of this name
  --id <job-id>        only the job(s) with this id (with 'show': the job to show)
  --worker <id>        only jobs whose latest attempt ran on this worker (service.instance.id)
  --outcome <outcome>  completed, failed, retry_scheduled, exhausted or stalled
  --error <text>       only jobs whose latest error type or message contains the text
  --from <time>        latest attempt ended at or after (ISO-8601 or Unix ms)
  --to <time>          latest attempt ended before (ISO-8601 or Unix ms)
  --limit <n>          at most n jobs (1 to 500, default 50)
  --cursor <cursor>    the next page: the cursor the previous page printed
options:
  --json               print JSON instead of a table
  --url <url>          analyzer API (default $JOBLENS_URL or http://127.0.0.1:4320)
  --token <token>      bearer token (default $JOBLENS_READ_TOKEN, else $JOBLENS_TOKEN)
  -h, --help           show this help`;

const SYNTAX = {
  allowPositionals: true,
  options: {
    queue: { type: 'string' },
    name: { type: 'string' },
    id: { type: 'string' },
    worker: { type: 'string' },
    outcome: { type: 'string' },
    error: { type: 'string' },
    from: { type: 'string' },
    to: { type: 'string' },
    limit: { type: 'string' },
    cursor: { type: 'string' },
    json: { type: 'boolean' },
    url: { type: 'string' },
    token: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
} as const satisfies CommandSyntax;

type JobsValues = ReturnType<typeof parseCommandLine<typeof SYNTAX.options>>['values'];

export const jobsCommand: Command = {
  summary: 'search the job history, or show the attempts of one job',
  usage: USAGE,
  syntax: SYNTAX,
  async run(argv) {
    const { values, positionals } = parseCommandLine('jobs', SYNTAX, argv);
    if (values.help) {
      process.stdout.write(`${USAGE}\n`);
      return 0;
    }
    const client = new AnalyzerClient({ url: values.url, token: values.token });
    const [verb, ...rest] = positionals;
    if (verb === undefined) return listJobs(client, values);
    if (verb === 'show') return showJob(client, values, rest);
    throw new CliError(`unknown argument '${verb}'; did you mean 'joblens jobs show'?`, 2);
  },
};

async function listJobs(client: AnalyzerClient, values: JobsValues): Promise<number> {
  const page = await client.getJson<JobPage>('/api/jobs', {
    queue: values.queue,
    name: values.name,
    id: values.id,
    worker: values.worker,
    outcome: values.outcome,
    error: values.error,
    from: values.from,
    to: values.to,
    limit: values.limit,
    cursor: values.cursor,
  });
  if (values.json) {
    process.stdout.write(`${JSON.stringify(page, null, 2)}\n`);
    return 0;
  }
  process.stdout.write(`${formatJobsTable(page.jobs)}\n`);
  if (page.nextCursor) process.stdout.write(`\nmore jobs match: add --cursor ${page.nextCursor}\n`);
  return 0;
}

async function showJob(client: AnalyzerClient, values: JobsValues, args: string[]): Promise<number> {
  const key = args.length === 3 ? { service: args[0]!, queue: args[1]!, jobId: args[2]! } : undefined;
  if (!key && !(args.length === 0 && values.id))
    throw new CliError(
      `'jobs show' takes <service> <queue> <job-id> or --id <job-id>, got ${args.length} argument(s)`,
      2,
    );
  const job = key ?? (await findById(client, values.id!));
  const path = `/api/jobs/${encodeURIComponent(job.service)}/${encodeURIComponent(job.queue)}/${encodeURIComponent(job.jobId)}`;
  const detail = await client.getJson<ApiJobDetail>(path);
  if (values.json) process.stdout.write(`${JSON.stringify(detail, null, 2)}\n`);
  else process.stdout.write(`${formatJobDetail(detail, Date.now())}\n`);
  return 0;
}

/** A job id is unique only within a queue: one match is shown, several are named for the person to pick. */
async function findById(client: AnalyzerClient, id: string): Promise<JobSummary> {
  const { jobs } = await client.getJson<JobPage>('/api/jobs', { id, limit: '20' });
  if (jobs.length === 0) throw new CliError(`no stored job has id ${JSON.stringify(id)}`);
  if (jobs.length > 1) {
    const names = jobs.map((j) => `${j.service} ${j.queue} ${j.jobId}`).join('; ');
    throw new CliError(
      `${jobs.length} stored jobs have id ${JSON.stringify(id)}: name one with 'joblens jobs show <service> <queue> <job-id>' (${names})`,
    );
  }
  return jobs[0]!;
}
