import { type Request, type Response, Router } from 'express';
import { readJobDetail } from '../api/job-detail.js';
import { type JobsRouterSources, jobKeyOf } from '../api/jobs-router.js';
import { BadQueryError } from '../api/read-finding-filter.js';
import { readJobSearch } from '../api/read-job-search.js';
import type { JobSearch } from '../history/history-store.js';
import { InvalidCursorError } from '../history/job-cursor.js';
import { type Logger, stderrLogger } from '../log/logger.js';
import { html } from './html.js';
import { renderJobPage } from './job-page.js';
import { renderJobsPage } from './jobs-page.js';
import { renderLayout } from './layout.js';

/**
 * The job history's pages: `/jobs` (search) and `/jobs/:service/:queue/:jobId` (one job's attempts and
 * timeline), read from the same sources as `api/jobs-router.ts`. A bad filter answers a 400 page naming it.
 */
export function createJobsPageRouter(sources: JobsRouterSources): Router {
  const router = Router();
  const now = sources.now ?? Date.now;
  const detailSources = { ...sources, now };
  const logger = sources.logger ?? stderrLogger;

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
