import express, { type NextFunction, type Request, type Response, Router } from 'express';
import type { MonitorService } from './monitor-service.js';
import { monitorView, pingView, transitionView } from './monitor-view.js';
import { MonitorDefinitionError, parseMonitorDefinition } from './parse-monitor-definition.js';

function refuse(res: Response, status: number, error: string): void {
  res.status(status).json({ error });
}

/**
 * `GET/POST /api/monitors`, `GET/PUT/DELETE /api/monitors/:slug`, `POST /api/monitors/:slug/pause|resume`.
 * Definitions are the JSON the config file takes (see parse-monitor-definition.ts); errors are JSON
 * `{ error }` naming the field. The analyzer mounts it behind its API token, like the rest of /api.
 */
export function createMonitorsApiRouter(service: MonitorService): Router {
  const router = Router();
  router.use('/api/monitors', express.json({ limit: '100kb' }));

  // Express 5 hands a rejected handler to the error middleware below: a store that fails answers 503.
  router.get('/api/monitors', async (_req, res) => {
    res.json({ monitors: (await service.list()).map(monitorView) });
  });

  router.post('/api/monitors', async (req, res) => {
    const definition = parseMonitorDefinition(req.body, 'body');
    if (await service.status(definition.slug))
      return refuse(
        res,
        409,
        `a monitor with the slug "${definition.slug}" exists; PUT /api/monitors/${definition.slug} replaces it`,
      );
    res.status(201).json({ monitor: monitorView(await service.put(definition, 'api')) });
  });

  router.get('/api/monitors/:slug', async (req, res) => {
    const slug = String(req.params.slug);
    const status = await service.status(slug);
    if (!status) return refuse(res, 404, `no monitor has the slug ${JSON.stringify(slug)}`);
    const limit = Math.min(Math.max(Number(req.query.limit) || 50, 1), 1000);
    const [transitions, pings] = await Promise.all([
      service.transitions(slug, limit),
      service.pings(slug, limit),
    ]);
    res.json({
      monitor: monitorView(status),
      transitions: transitions.map(transitionView),
      pings: pings.map(pingView),
    });
  });

  router.put('/api/monitors/:slug', async (req, res) => {
    const slug = String(req.params.slug);
    const body =
      req.body && typeof req.body === 'object' && !Array.isArray(req.body) ? { slug, ...req.body } : req.body;
    const definition = parseMonitorDefinition(body, 'body');
    if (definition.slug !== slug)
      return refuse(res, 400, `body.slug must be the slug in the path ("${slug}"), got "${definition.slug}"`);
    const existed = (await service.status(slug)) !== undefined;
    res.status(existed ? 200 : 201).json({ monitor: monitorView(await service.put(definition, 'api')) });
  });

  router.delete('/api/monitors/:slug', async (req, res) => {
    const slug = String(req.params.slug);
    if (!(await service.delete(slug)))
      return refuse(res, 404, `no monitor has the slug ${JSON.stringify(slug)}`);
    res.status(204).end();
  });

  for (const action of ['pause', 'resume'] as const) {
    router.post(`/api/monitors/:slug/${action}`, async (req, res) => {
      const slug = String(req.params.slug);
      const result = action === 'pause' ? await service.pause(slug) : await service.resume(slug);
      const status = result.ok ? await service.status(slug) : undefined;
      if (!status) return refuse(res, 404, `no monitor has the slug ${JSON.stringify(slug)}`);
      res.json({ monitor: monitorView(status) });
    });
  }

  router.use('/api/monitors', (error: unknown, _req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) return next(error);
    if (error instanceof MonitorDefinitionError) return refuse(res, 400, error.message);
    const status = (error as { status?: number }).status;
    if (typeof status === 'number' && status >= 400 && status < 500)
      return refuse(res, status, `the body must be JSON of at most 100 KB (${(error as Error).message})`);
    service.logger.warn('serving /api/monitors', error);
    refuse(res, 503, 'the monitors could not be read or written; try again');
  });
  return router;
}
