import express, { type Express, type Router } from 'express';
import type { Registry } from 'prom-client';
import { type Logger, stderrLogger } from '../log/logger.js';
import { type RoleTokens, readingTokens } from './access-roles.js';
import { guardStateChanges } from './guard-state-changes.js';
import { createHealthRouter, type Health } from './health-router.js';
import { errorsAsJson, notFoundJson } from './json-errors.js';
import { ownHostNames } from './request-origin.js';
import { requireToken } from './require-token.js';
import { securityHeaders } from './security-headers.js';

export interface ApiAppParts {
  health: () => Health;
  /** Each role's token (access-roles.ts `roleTokens`); a role without one is open. Default: all open. */
  tokens?: RoleTokens;
  /** Routers of the ingest role, under `/ping` (monitor pings): the read and admin rules do not apply. */
  openRouters: Router[];
  /** Routers behind the read role for reads and the admin rules for changes (API, monitors, explain, page). */
  protectedRouters: Router[];
  registry: Registry;
  /** The address the analyzer binds to, for telling its own Host from a foreign one. Default `127.0.0.1`. */
  host?: string;
  /** Believe `X-Forwarded-Proto`/`-Host` (https cookie, Origin check). Default false. */
  trustProxy?: boolean;
  /** Where failed requests are told. Default {@link stderrLogger}. */
  logger?: Logger;
}

/**
 * The API port's app. /healthz is open, for load balancers. Pings need the ingest token when one is set.
 * Then every state-changing request meets guard-state-changes.ts (admin token, same site, JSON body), and
 * every read needs the read or admin token when a read token is set: the page, /api GETs and /metrics
 * (Prometheus sends one with `authorization: { credentials_file: ... }`).
 */
export function createApiApp(parts: ApiAppParts): Express {
  const app = express();
  const tokens = parts.tokens ?? {};
  const trustProxy = parts.trustProxy ?? false;
  const logger = parts.logger ?? stderrLogger;
  app.disable('x-powered-by');
  app.set('trust proxy', trustProxy);
  app.use(securityHeaders);
  app.use(createHealthRouter(parts.health));
  if (tokens.ingest) app.use('/ping', requireToken(tokens.ingest));
  for (const router of parts.openRouters) app.use(router);
  app.use(
    guardStateChanges({
      adminToken: tokens.admin,
      ownHosts: ownHostNames(parts.host ?? '127.0.0.1'),
      trustProxy,
    }),
  );
  const readers = readingTokens(tokens);
  if (tokens.read) {
    const requireReader = requireToken(readers);
    // Changes passed the admin rules above; only reads are left to check here.
    app.use((req, res, next) =>
      req.method === 'GET' || req.method === 'HEAD' ? requireReader(req, res, next) : next(),
    );
  }
  app.get('/metrics', async (_req, res) => {
    try {
      res.type(parts.registry.contentType).send(await parts.registry.metrics());
    } catch (error) {
      logger.error('collecting /metrics failed', error);
      res.status(500).json({ error: 'collecting metrics failed; the analyzer logged why' });
    }
  });
  for (const router of parts.protectedRouters) app.use(router);
  app.use(notFoundJson);
  app.use(errorsAsJson(logger));
  return app;
}
