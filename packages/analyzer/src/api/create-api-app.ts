import express, { type Express, type Router } from 'express';
import type { Registry } from 'prom-client';
import { createHealthRouter, type Health } from './health-router.js';
import { errorsAsJson, notFoundJson } from './json-errors.js';
import { requireToken } from './require-token.js';
import { securityHeaders } from './security-headers.js';

export interface ApiAppParts {
  health: () => Health;
  /** When set, everything after the open routers needs it. */
  token?: string;
  /** Routers reachable without the token (monitor pings). */
  openRouters: Router[];
  /** Routers behind the token (JSON API, monitors API, explain, page), in order. */
  protectedRouters: Router[];
  registry: Registry;
}

/**
 * The API port's app. /healthz and the open routers (pings) come before the token check: health checks
 * and cron jobs pinging should not need the API token. /metrics is behind it when a token is set
 * (Prometheus sends one with `authorization: { credentials: ... }`).
 */
export function createApiApp(parts: ApiAppParts): Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(securityHeaders);
  app.use(createHealthRouter(parts.health));
  for (const router of parts.openRouters) app.use(router);
  if (parts.token) app.use(requireToken(parts.token));
  app.get('/metrics', async (_req, res) => {
    try {
      res.type(parts.registry.contentType).send(await parts.registry.metrics());
    } catch (error) {
      console.error('joblens: collecting /metrics failed:', error);
      res.status(500).json({ error: 'collecting metrics failed; the analyzer logged why' });
    }
  });
  for (const router of parts.protectedRouters) app.use(router);
  app.use(notFoundJson);
  app.use(errorsAsJson);
  return app;
}
