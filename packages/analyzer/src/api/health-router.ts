import { Router } from 'express';

/** What `/healthz` reports. `ok` is false (and the status 503) while the analyzer is overloaded. */
export interface Health {
  ok: boolean;
  /** Why it is not ok: the store failing, the heap over its limit, load being shed. Empty when ok. */
  reasons: string[];
  uptimeSeconds: number;
  counts: Record<string, number>;
  store: { ok: boolean; error?: string };
}

/** `GET /healthz`: open even when a token is set, so load balancers and compose health checks can use it. */
export function createHealthRouter(health: () => Health): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    try {
      const report = health();
      res
        .status(report.ok ? 200 : 503)
        .set('Cache-Control', 'no-store')
        .json(report);
    } catch (error) {
      res.status(503).json({ ok: false, error: `health check failed: ${(error as Error).message}` });
    }
  });
  return router;
}
