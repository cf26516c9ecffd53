import { type Request, type Response, Router } from 'express';
import type { FindingStore } from '../findings/finding-store.js';
import type { HistoryStore, JobKey } from '../history/history-store.js';
import { InvalidCursorError } from '../history/job-cursor.js';
import { type Logger, stderrLogger } from '../log/logger.js';
import type { AnalyzerView } from '../model/analyzer-view.js';
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
 * The job history, read: `GET /api/jobs` and `GET /api/jobs/:service/:queue/:jobId` (their pages are
 * `web/jobs-page-router.ts`'s). Errors are `{error}`; bad filters answer 400 naming the parameter, an
 * unknown job 404.
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

  return router;
}

/** The job a `/:service/:queue/:jobId` route names. */
export function jobKeyOf(req: Request): JobKey {
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
