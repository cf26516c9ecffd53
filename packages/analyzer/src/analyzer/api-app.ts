import type { Express } from 'express';
import type { Registry } from 'prom-client';
import { createChannelsApiRouter } from '../alerts/channels-api-router.js';
import { roleTokens } from '../api/access-roles.js';
import { createApiRouter } from '../api/api-router.js';
import { apiWorkers } from '../api/api-workers.js';
import { createApiApp } from '../api/create-api-app.js';
import { findingSourcesFromView } from '../api/finding-sources-from-view.js';
import type { Health } from '../api/health-router.js';
import { createIncidentRouter } from '../api/incident-router.js';
import { createJobsRouter } from '../api/jobs-router.js';
import type { AnalyzerConfig } from '../config/analyzer-config.js';
import { createExplainRouter } from '../explain/explain-router.js';
import type { IncidentLifecycle } from '../findings/incident-lifecycle.js';
import type { Logger } from '../log/logger.js';
import type { TelemetryModel } from '../model/telemetry-model.js';
import { createAlertsRouter } from '../web/alerts-router.js';
import { createJobsPageRouter } from '../web/jobs-page-router.js';
import { createWebRouter } from '../web/web-router.js';
import type { AnalyzerState } from './open-state.js';

export interface AnalyzerApiAppInput {
  config: AnalyzerConfig;
  state: AnalyzerState;
  model: TelemetryModel;
  lifecycle: IncidentLifecycle;
  health: () => Health;
  /** Served at `/metrics`. */
  registry: Registry;
  clock: () => number;
  logger: Logger;
}

/** The API port's app with every router the analyzer serves: pings, JSON API, incidents, monitors, explain, pages, alerts. */
export function createAnalyzerApiApp(input: AnalyzerApiAppInput): Express {
  const { config, state, model, clock, logger } = input;
  const { store, monitors, alerts } = state;
  const sources = findingSourcesFromView({
    store,
    view: model,
    now: clock,
    monitors: () => monitors.rows(),
    jaegerUrl: config.jaegerUrl,
  });
  const jobSources = {
    history: state.history.store,
    store,
    view: model,
    now: clock,
    jaegerUrl: config.jaegerUrl,
    logger,
  };
  return createApiApp({
    health: input.health,
    tokens: roleTokens(config),
    host: config.host,
    trustProxy: config.trustProxy,
    logger,
    openRouters: [monitors.pingRouter],
    protectedRouters: [
      createApiRouter({ store, workers: () => apiWorkers(model, clock()), now: clock, logger }),
      createIncidentRouter(input.lifecycle, clock),
      monitors.apiRouter,
      createExplainRouter(sources, logger),
      createWebRouter(sources, logger),
      createJobsRouter(jobSources),
      createJobsPageRouter(jobSources),
      createAlertsRouter(state.alertOutbox, { clock, wake: () => alerts.wake() }),
      createChannelsApiRouter(state.apiChannels, config.alerts.channels, logger),
    ],
    registry: input.registry,
  });
}
