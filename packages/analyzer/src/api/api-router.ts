import { type Request, type Response, Router } from 'express';
import type { Finding } from '../findings/finding.js';
import type { OldestActiveJob } from '../findings/finding-sources.js';
import type { FindingStore } from '../findings/finding-store.js';
import { type IncidentState, incidentState } from '../findings/incident-state.js';
import { type Logger, stderrLogger } from '../log/logger.js';
import { BadQueryError, readFindingFilter } from './read-finding-filter.js';

/** A worker as `GET /api/workers` returns it. */
export interface ApiWorker {
  worker: string;
  service: string;
  host: string;
  /** `process.pid` the worker reported, for `joblens dump <pid>` on `host`. */
  pid?: number;
  lastHeartbeatMs?: number;
  heartbeatAgeSeconds?: number;
  /** Newest record of any kind from the worker. */
  lastSeenMs?: number;
  activeJobs: number;
  /** This worker's share (0..1) of each of its queues' attempts in the model's window. */
  shareOfWork: Record<string, number>;
  completedInWindow?: number;
  oldestActiveJob?: OldestActiveJob;
  /** Unix ms at which the worker announced a deliberate stop; absent while it runs. */
  stoppedMs?: number;
}

export interface ApiSources {
  store: FindingStore;
  workers(): ApiWorker[];
  /** Unix ms, for each finding's `state` (a snooze ends by itself). Default `Date.now`. */
  now?: () => number;
  /** Where failed requests are told. Default {@link stderrLogger}. */
  logger?: Logger;
}

/** A finding as the API gives it: as stored, plus where it stands now (open, acknowledged, snoozed, resolved). */
export type ApiFinding = Finding & { state: IncidentState };

/** `GET /api/findings`, `GET /api/findings/:id`, `GET /api/workers`. Errors are JSON `{error}`. */
export function createApiRouter(sources: ApiSources): Router {
  const router = Router();
  const now = sources.now ?? Date.now;
  const answer = answerWith(sources.logger ?? stderrLogger);
  const withState = (finding: Finding, at: number): ApiFinding => ({
    ...finding,
    state: incidentState(finding, at),
  });
  router.get(
    '/api/findings',
    answer(async (req) => {
      const at = now();
      const findings = await sources.store.list(readFindingFilter(req.query as Record<string, unknown>));
      return { findings: findings.map((finding) => withState(finding, at)) };
    }),
  );
  router.get(
    '/api/findings/:id',
    answer(async (req, res) => {
      const id = String(req.params.id);
      const finding = await sources.store.get(id);
      if (!finding) {
        res.status(404);
        return { error: `no finding with id ${id}` };
      }
      return { finding: withState(finding, now()), transitions: await sources.store.transitions(id) };
    }),
  );
  router.get(
    '/api/workers',
    answer(() => ({ workers: sources.workers() })),
  );
  return router;
}

/** Runs a handler and sends its result as JSON; bad queries become 400, anything else a 500 without a stack. */
function answerWith(logger: Logger) {
  return (handle: (req: Request, res: Response) => unknown) =>
    async (req: Request, res: Response): Promise<void> => {
      try {
        const body = await handle(req, res);
        res.set('Cache-Control', 'no-store').json(body);
      } catch (error) {
        if (error instanceof BadQueryError) {
          res.status(400).json({ error: error.message });
          return;
        }
        logger.error(`${req.method} ${req.path} failed`, error);
        res.status(500).json({ error: 'the analyzer could not answer; it logged why' });
      }
    };
}
