import { type Request, type Response, Router } from 'express';
import { SLUG_PATTERN } from './monitor-definition.js';
import type { MonitorEvent } from './monitor-event.js';
import type { MonitorService } from './monitor-service.js';
import { readPingBody } from './read-ping-body.js';

/** Run ids pair a start with its end: a UUID, or any id of up to 64 letters, digits and `_.:-`. */
const RUN_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$/;

function refuse(res: Response, status: number, error: string): void {
  res.status(status).json({ error });
}

/** The event a ping's path asks for, or an error message for a 400. */
function eventFor(
  action: string | undefined,
  atMs: number,
  runId: string | undefined,
): MonitorEvent | string {
  const run = runId === undefined ? {} : { runId };
  if (action === undefined) return { type: 'success', atMs, ...run };
  if (action === 'start') return { type: 'start', atMs, ...run };
  if (action === 'fail') return { type: 'failure', atMs, ...run };
  if (!/^\d{1,3}$/.test(action) || Number(action) > 255) {
    return `the ping action must be start, fail or an exit code from 0 to 255, got ${JSON.stringify(action.slice(0, 40))}`;
  }
  const exitCode = Number(action);
  return exitCode === 0 ? { type: 'success', atMs, ...run } : { type: 'failure', atMs, exitCode, ...run };
}

/**
 * Healthchecks.io-style pings on the analyzer's API port: `/ping/{slug}` (success), `/ping/{slug}/start`,
 * `/ping/{slug}/fail`, `/ping/{slug}/{exit-code}`; GET, POST or HEAD; optional `?rid=` run id; a POST body
 * (first 100 KB) is kept as the run's log. The ping is in the store before the `OK` goes out.
 */
export function createPingRouter(service: MonitorService): Router {
  const router = Router();
  const handle = async (req: Request, res: Response) => {
    if (!['GET', 'POST', 'HEAD'].includes(req.method)) {
      res.setHeader('Allow', 'GET, POST, HEAD');
      return refuse(res, 405, `pings accept GET, POST and HEAD, not ${req.method}`);
    }
    const slug = String(req.params.slug);
    if (!SLUG_PATTERN.test(slug))
      return refuse(
        res,
        400,
        `the slug must match ${SLUG_PATTERN.source}, got ${JSON.stringify(slug.slice(0, 80))}`,
      );
    const rid = req.query.rid;
    if (rid !== undefined && (typeof rid !== 'string' || !RUN_ID_PATTERN.test(rid))) {
      return refuse(
        res,
        400,
        `rid must be a UUID or up to 64 letters, digits and _.:- , got ${JSON.stringify(String(rid).slice(0, 80))}`,
      );
    }
    const event = eventFor(req.params.action as string | undefined, service.now(), rid);
    if (typeof event === 'string') return refuse(res, 400, event);
    const body = await readPingBody(req);
    const result = await service.record(slug, event, {
      source: 'http',
      ...(body !== undefined ? { body } : {}),
      detail: {
        method: req.method,
        remoteAddress: req.socket.remoteAddress ?? '',
        userAgent: req.get('user-agent') ?? '',
      },
    });
    if (!result.ok)
      return refuse(
        res,
        404,
        `no monitor has the slug ${JSON.stringify(slug)} (create it with POST /api/monitors, or set monitors.autoCreate)`,
      );
    res.status(200).type('text/plain').send('OK');
  };
  const safely = (req: Request, res: Response) =>
    handle(req, res).catch((error: unknown) => {
      // A ping that could not be stored must be retried by the sender: 503, never a stack trace.
      service.logger.warn('recording a ping', error);
      if (!res.headersSent) refuse(res, 503, 'the ping could not be stored; try again');
    });
  router.all('/ping/:slug', safely);
  router.all('/ping/:slug/:action', safely);
  return router;
}
