import type { RequestListener, Server } from 'node:http';
import { closeServer, listen, urlOf } from '../api/http-server.js';
import type { AnalyzerConfig } from '../config/analyzer-config.js';
import type { Logger } from '../log/logger.js';
import type { EvaluationLoop } from './evaluation-loop.js';
import type { AnalyzerState } from './open-state.js';

/** How long `stop()` waits for the job history to take the attempts still queued; the rest are lost. */
const HISTORY_FLUSH_MILLIS = 5000;
/** How long `stop()` waits for a delivery pass in flight; what is left waits in the outbox for the next start. */
const ALERT_FLUSH_MILLIS = 2000;

export interface LifecycleInput {
  config: Pick<AnalyzerConfig, 'host' | 'port' | 'otlpPort'>;
  state: AnalyzerState;
  loop: EvaluationLoop;
  otlpListener: RequestListener;
  apiListener: RequestListener;
  logger: Logger;
}

export interface AnalyzerLifecycle {
  /** Listens on both ports and starts the loops; resolves with the bound base URLs. */
  start(): Promise<{ otlpUrl: string; apiUrl: string }>;
  /** Closes the servers, evaluates once more, stops the loops and closes the databases; once. */
  stop(): Promise<void>;
}

/**
 * The order things start and stop in. Starting: the monitors before the ports open (a ping or a check-in
 * must find their tables and the config's monitors), then both ports, then the loops. Stopping: no more
 * requests, one last evaluation, then the monitors, the history and the alerts wind down before the
 * stores and databases close beneath them.
 */
export function createLifecycle(input: LifecycleInput): AnalyzerLifecycle {
  const { config, state, loop, logger } = input;
  let servers: Server[] = [];
  let stopped = false;
  return {
    async start() {
      if (servers.length) throw new Error('the analyzer is already started');
      await state.startMonitors();
      const otlpServer = await listen(input.otlpListener, config.otlpPort, config.host);
      const apiServer = await listen(input.apiListener, config.port, config.host).catch(async (error) => {
        await closeServer(otlpServer);
        throw error;
      });
      servers = [otlpServer, apiServer];
      loop.start();
      state.alerts.start();
      state.history.start();
      return { otlpUrl: urlOf(otlpServer, config.host), apiUrl: urlOf(apiServer, config.host) };
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      loop.stop();
      await Promise.all(servers.map(closeServer));
      await loop.evaluateNow();
      try {
        await state.monitors.stop();
      } catch (error) {
        logger.error('stopping the monitors failed', error);
      }
      try {
        await state.history.stop(HISTORY_FLUSH_MILLIS);
      } catch (error) {
        logger.error('stopping the job history failed', error);
      }
      await state.alerts.stop(ALERT_FLUSH_MILLIS);
      await state.store.close();
      if (state.db.open) state.db.close();
      await state.pool?.end();
    },
  };
}
