import { type Request, type Response, Router } from 'express';
import type { FindingSources } from '../findings/finding-sources.js';
import { type Logger, stderrLogger } from '../log/logger.js';
import { renderFindingPage } from './finding-page.js';
import { readFilters, renderFindingsPage } from './findings-page.js';
import { html } from './html.js';
import { renderLayout } from './layout.js';
import { renderMonitorsPage } from './monitors-page.js';
import { PAGE_SCRIPT, PAGE_SCRIPT_PATH, PAGE_STYLE, PAGE_STYLE_PATH } from './page-assets.js';
import { renderWorkersPage } from './workers-page.js';

/** The findings page, server-rendered: `/`, `/findings/:id`, `/workers`, `/monitors`, and its two assets. */
export function createWebRouter(sources: FindingSources, logger: Logger = stderrLogger): Router {
  const router = Router();
  const send = (res: Response, status: number, page: string) => {
    res.status(status).type('html').set('Cache-Control', 'no-store').send(page);
  };
  // A page that fails to render answers a plain 500 page: never a stack trace, never a crash.
  const page =
    (render: (req: Request, res: Response) => Promise<void>) => async (req: Request, res: Response) => {
      try {
        await render(req, res);
      } catch (error) {
        logger.error(`rendering ${req.path} failed`, error);
        send(
          res,
          500,
          renderLayout(
            'Error',
            'findings',
            html`<h1>This page failed to render</h1><p>The analyzer logged why.</p>`,
          ),
        );
      }
    };
  router.get(PAGE_STYLE_PATH, (_req, res) => {
    res.type('css').set('Cache-Control', 'max-age=300').send(PAGE_STYLE);
  });
  router.get(PAGE_SCRIPT_PATH, (_req, res) => {
    res.type('js').set('Cache-Control', 'max-age=300').send(PAGE_SCRIPT);
  });
  router.get(
    '/',
    page(async (req, res) =>
      send(res, 200, await renderFindingsPage(sources, readFilters(req.query as Record<string, unknown>))),
    ),
  );
  router.get(
    '/findings/:id',
    page(async (req, res) => {
      const finding = await sources.store.get(String(req.params.id));
      if (!finding) {
        send(
          res,
          404,
          renderLayout(
            'Not found',
            'findings',
            html`<h1>No finding ${req.params.id}</h1><p><a href="/">All findings</a></p>`,
          ),
        );
        return;
      }
      send(res, 200, await renderFindingPage(sources, finding));
    }),
  );
  router.get(
    '/workers',
    page(async (_req, res) => send(res, 200, await renderWorkersPage(sources))),
  );
  router.get(
    '/monitors',
    page(async (_req, res) => send(res, 200, await renderMonitorsPage(sources))),
  );
  return router;
}
