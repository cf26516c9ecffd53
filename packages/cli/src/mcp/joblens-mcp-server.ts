import type { ApiFinding, ApiJobDetail, ApiWorker, JobPage } from '@joblens/analyzer';
import { FINDING_TYPES, JOB_OUTCOMES } from '@joblens/semconv';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import type { AnalyzerClient } from '../analyzer-client.js';
import { formatJobDetail } from '../commands/jobs-format.js';

/** Findings a text search reads, the newest ones: what an assistant asking about "now" means. */
const FINDINGS_SEARCHED = 1000;
const DEFAULT_SEARCH_RESULTS = 20;

const jobKey = {
  service: z.string().min(1).describe('service.name of the job'),
  queue: z.string().min(1).describe('the queue the job ran on'),
  jobId: z.string().min(1).describe('the job id (unique within its queue)'),
};

/**
 * An MCP server whose tools read a running analyzer over its HTTP API: findings (list, search, explain),
 * the job history (search, one job's attempts) and the workers. Every answer is what the API gives, so it is
 * redacted as `explain` is and, through AnalyzerClient, free of control characters. A failure (no analyzer,
 * a wrong token, an unknown id) is a tool error with one line saying why, not a protocol error.
 */
export function createJoblensMcpServer(client: AnalyzerClient, version: string): McpServer {
  const server = new McpServer({ name: 'joblens', version });

  server.registerTool(
    'list_findings',
    {
      title: 'List findings',
      description:
        "The analyzer's findings (problems it found in background jobs: silent jobs, mystery gaps, retry storms...), newest first.",
      inputSchema: {
        status: z.enum(['open', 'resolved']).optional().describe('only open or only resolved findings'),
        type: z.enum(FINDING_TYPES).optional().describe('only this finding type'),
        service: z.string().optional(),
        queue: z.string().optional(),
        limit: z.number().int().min(1).max(1000).optional().describe('at most this many (default 100)'),
      },
    },
    (args) =>
      answer(async () => {
        const { findings } = await client.getJson<{ findings: ApiFinding[] }>('/api/findings', {
          status: args.status,
          type: args.type,
          service: args.service,
          queue: args.queue,
          limit: args.limit?.toString(),
        });
        return json(findings.map(compactFinding));
      }),
  );

  server.registerTool(
    'search_findings',
    {
      title: 'Search findings',
      description:
        'Findings whose summary, next step, type or subject (service, queue, job, worker, host) contains the text, case-insensitive, newest first.',
      inputSchema: {
        query: z.string().min(1).describe('text to look for'),
        status: z.enum(['open', 'resolved']).optional(),
        limit: z
          .number()
          .int()
          .min(1)
          .max(200)
          .optional()
          .describe(`at most this many (default ${DEFAULT_SEARCH_RESULTS})`),
      },
    },
    (args) =>
      answer(async () => {
        const { findings } = await client.getJson<{ findings: ApiFinding[] }>('/api/findings', {
          status: args.status,
          limit: String(FINDINGS_SEARCHED),
        });
        const needle = args.query.toLowerCase();
        const matches = findings.filter((f) => searchableText(f).includes(needle));
        return json(matches.slice(0, args.limit ?? DEFAULT_SEARCH_RESULTS).map(compactFinding));
      }),
  );

  server.registerTool(
    'explain_finding',
    {
      title: 'Explain a finding',
      description:
        'One finding as a self-contained Markdown account: what happened in order, the steps with timings, attributes, snapshot, the worker and similar findings. Secrets are redacted.',
      inputSchema: { id: z.string().min(1).describe('the finding id, as list_findings gives it') },
    },
    (args) =>
      answer(async () =>
        text(
          await client.getText(
            `/api/findings/${encodeURIComponent(args.id)}/context`,
            { format: 'markdown' },
            'text/markdown',
          ),
        ),
      ),
  );

  server.registerTool(
    'search_jobs',
    {
      title: 'Search the job history',
      description:
        'Stored jobs, newest first, filtered on their latest attempt. Pass nextCursor back as cursor for the next page.',
      inputSchema: {
        queue: z.string().optional(),
        name: z.string().optional().describe('job name, exact'),
        id: z.string().optional().describe('job id, exact'),
        worker: z.string().optional().describe('service.instance.id of the worker, exact'),
        outcome: z.enum(JOB_OUTCOMES).optional(),
        error: z.string().optional().describe('text in the error type or message, case-insensitive'),
        from: z.string().optional().describe('ended at or after: ISO-8601 or Unix ms'),
        to: z.string().optional().describe('ended before: ISO-8601 or Unix ms'),
        limit: z.number().int().min(1).max(500).optional().describe('at most this many (default 50)'),
        cursor: z.string().optional(),
      },
    },
    (args) =>
      answer(async () => {
        const page = await client.getJson<JobPage>('/api/jobs', {
          ...args,
          limit: args.limit?.toString(),
        });
        return json(page);
      }),
  );

  server.registerTool(
    'job_attempts',
    {
      title: "A job's attempts",
      description:
        'Every stored attempt of one job (worker, host, timing, outcome, error, steps, longest gap, trace id), the attempt running now, its findings, and a text timeline across its retries.',
      inputSchema: jobKey,
    },
    (args) =>
      answer(async () => {
        const path = `/api/jobs/${encodeURIComponent(args.service)}/${encodeURIComponent(args.queue)}/${encodeURIComponent(args.jobId)}`;
        const detail = await client.getJson<ApiJobDetail>(path);
        return {
          content: [
            { type: 'text', text: formatJobDetail(detail, Date.now()) },
            { type: 'text', text: JSON.stringify(detail, null, 2) },
          ],
        };
      }),
  );

  server.registerTool(
    'list_workers',
    {
      title: 'List workers',
      description:
        'The workers the analyzer hears from: heartbeat age, active jobs, share of work, oldest active job, and whether they stopped.',
      inputSchema: {},
    },
    () =>
      answer(async () => {
        const { workers } = await client.getJson<{ workers: ApiWorker[] }>('/api/workers');
        return json(workers);
      }),
  );

  return server;
}

/** A finding without its evidence detail: enough to choose one to explain. */
function compactFinding(f: ApiFinding) {
  return {
    id: f.id,
    type: f.type,
    severity: f.severity,
    status: f.status,
    state: f.state,
    subject: f.subject,
    summary: f.summary,
    nextStep: f.nextStep,
    firstSeen: new Date(f.firstSeen).toISOString(),
    lastSeen: new Date(f.lastSeen).toISOString(),
  };
}

function searchableText(f: ApiFinding): string {
  const s = f.subject;
  return [f.type, f.summary, f.nextStep, s.service, s.queue, s.jobName, s.jobId, s.worker, s.host, s.monitor]
    .filter(Boolean)
    .join('\n')
    .toLowerCase();
}

function text(value: string): CallToolResult {
  return { content: [{ type: 'text', text: value }] };
}

function json(value: unknown): CallToolResult {
  return text(JSON.stringify(value, null, 2));
}

/** The analyzer's failure (unreachable, refused, unknown id) as a tool error the assistant can read. */
async function answer(run: () => Promise<CallToolResult>): Promise<CallToolResult> {
  try {
    return await run();
  } catch (error) {
    return { isError: true, content: [{ type: 'text', text: (error as Error).message }] };
  }
}
