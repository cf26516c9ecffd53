import { type Request, type Response, Router } from 'express';
import type { FindingStore } from '../findings/finding-store.js';
import type { HistoryStore, JobKey, JobSearch } from '../history/history-store.js';
import { InvalidCursorError } from '../history/job-cursor.js';
import { type Logger, stderrLogger } from '../log/logger.js';
import type { AnalyzerView } from '../model/analyzer-view.js';
import { html } from '../web/html.js';
import { renderJobPage } from '../web/job-page.js';
import { renderJobsPage } from '../web/jobs-page.js';
import { renderLayout } from '../web/layout.js';
import { readJobDetail } from './job-detail.js';
import { BadQueryError } from './read-finding-filter.js';
import { readJobSearch } from './read-job-search.js';

export interface JobsRouterSources {
  history: HistoryStore;
  store: FindingStore;
  view: AnalyzerView;
  /** Unix ms. Default `Date.now`. */
  now?: () => number;
  /** Base URL of Jaeger's UI, for trace links on the job page; the trace id is shown when unset. */
  jaegerUrl?: string;
  /** Where failed requests and pages are told. Default {@link stderrLogger}. */
  logger?: Logger;
}

/**
 * The job history, read: `GET /api/jobs`, `GET /api/jobs/:service/:queue/:jobId`, and their pages
 * `/jobs` and `/jobs/:service/:queue/:jobId`. JSON errors are `{error}`; bad filters answer 400 naming
 * the parameter, an unknown job 404.
 */
export function createJobsRouter(sources: JobsRouterSources): Router {
  const router = Router();
  const now = sources.now ?? Date.now;
  const detailSources = { ...sources, now };
  const logger = sources.logger ?? stderrLogger;

  router.get('/api/jobs', async (req, res) => {
    await answerJson(logger, req, res, async () => {
      const page = await sources.history.searchJobs(readJobSearch(req.query as Record<string, unknown>));
      return { jobs: page.jobs, nextCursor: page.nextCursor };
    });
  });
  router.get('/api/jobs/:service/:queue/:jobId', async (req, res) => {
    await answerJson(logger, req, res, async () => {
      const key = jobKeyOf(req);
      const detail = await readJobDetail(detailSources, key);
      if (!detail) {
        res.status(404);
        return { error: `no job ${key.jobId} on queue ${key.queue} of service ${key.service}` };
      }
      return detail;
    });
  });

  router.get('/jobs', async (req, res) => {
    await answerPage(logger, req, res, async () => {
      const query = req.query as Record<string, unknown>;
      let search: JobSearch;
      try {
        search = readJobSearch(query);
      } catch (error) {
        if (!(error instanceof BadQueryError)) throw error;
        return { status: 400, page: renderJobsPage(query, { error: error.message }, now()) };
      }
      try {
        const page = await sources.history.searchJobs(search);
        return { status: 200, page: renderJobsPage(query, { search, page }, now()) };
      } catch (error) {
        if (!(error instanceof InvalidCursorError)) throw error;
        return { status: 400, page: renderJobsPage(query, { error: error.message }, now()) };
      }
    });
  });
  router.get('/jobs/:service/:queue/:jobId', async (req, res) => {
    await answerPage(logger, req, res, async () => {
      const key = jobKeyOf(req);
      const detail = await readJobDetail(detailSources, key);
      if (!detail) {
        const body = html`<h1>No job ${key.jobId}</h1><p>Nothing is stored about job <code>${key.jobId}</code> on queue <code>${key.queue}</code> of <code>${key.service}</code>.</p><p><a href="/jobs">All jobs</a></p>`;
        return { status: 404, page: renderLayout('Not found', 'jobs', body) };
      }
      return { status: 200, page: renderJobPage(key, detail, now(), sources.jaegerUrl) };
    });
  });
  return router;
}

function jobKeyOf(req: Request): JobKey {
  return {
    service: String(req.params.service),
    queue: String(req.params.queue),
    jobId: String(req.params.jobId),
  };
}

/** Sends a handler's result as JSON; bad queries become 400, anything else a 500 without a stack. */
async function answerJson(
  logger: Logger,
  req: Request,
  res: Response,
  handle: () => Promise<unknown>,
): Promise<void> {
  try {
    const body = await handle();
    res.set('Cache-Control', 'no-store').json(body);
  } catch (error) {
    if (error instanceof BadQueryError || error instanceof InvalidCursorError) {
      res.status(400).json({ error: error.message });
      return;
    }
    logger.error(`${req.method} ${req.path} failed`, error);
    res.status(500).json({ error: 'the analyzer could not answer; it logged why' });
  }
}

/** Sends a rendered page; one that fails answers a plain 500 page, never a stack trace. */
async function answerPage(
  logger: Logger,
  req: Request,
  res: Response,
  render: () => Promise<{ status: number; page: string }>,
): Promise<void> {
  let result: { status: number; page: string };
  try {
    result = await render();
  } catch (error) {
    logger.error(`rendering ${req.path} failed`, error);
    result = {
      status: 500,
      page: renderLayout(
        'Error',
        'jobs',
        html`<h1>This page failed to render</h1><p>The analyzer logged why.</p>`,
      ),
    };
  }
  res.status(result.status).type('html').set('Cache-Control', 'no-store').send(result.page);
}
