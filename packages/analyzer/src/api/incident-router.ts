import { stripControlCharacters } from '@joblens/otlp-receiver';
import express, { type NextFunction, type Request, type Response, Router } from 'express';
import type { IncidentLifecycle, IncidentResult } from '../findings/incident-lifecycle.js';
import { incidentState } from '../findings/incident-state.js';

/** Longest `by`; a name or an e-mail address, not a story. */
const MAX_ACTOR_CHARS = 100;
/** Furthest a snooze may reach: a longer silence is a finding nobody should be paged about at all. */
const MAX_SNOOZE_MILLIS = 90 * 24 * 3_600_000;

class BadBodyError extends Error {}

/**
 * `POST /api/findings/:id/acknowledge` with `{ "by": "alice" }` and `POST /api/findings/:id/snooze` with
 * `{ "until": "<ISO time>", "by"?: "alice" }`. Both change state, so the access middleware in front
 * demands the admin token and a JSON body. Answers `{ finding, state }`, or `{ error }` with 400 (a bad
 * body, naming the field), 404 (no such finding) or 409 (the finding's state does not allow it).
 */
export function createIncidentRouter(lifecycle: IncidentLifecycle, clock: () => number): Router {
  const router = Router();
  router.use('/api/findings/:id/:action', express.json({ limit: '10kb' }));

  router.post('/api/findings/:id/acknowledge', async (req, res) => {
    const body = readBody(req);
    const by = readActor(body.by, true) as string;
    answer(res, await lifecycle.acknowledge(String(req.params.id), by), clock);
  });

  router.post('/api/findings/:id/snooze', async (req, res) => {
    const body = readBody(req);
    const until = readUntil(body.until, clock());
    answer(res, await lifecycle.snooze(String(req.params.id), until, readActor(body.by, false)), clock);
  });

  router.use('/api/findings', (error: unknown, _req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) return next(error);
    if (error instanceof BadBodyError) return void res.status(400).json({ error: error.message });
    next(error);
  });
  return router;
}

function answer(res: Response, result: IncidentResult, clock: () => number): void {
  res.set('Cache-Control', 'no-store');
  if (result.ok) {
    res.json({ finding: result.finding, state: incidentState(result.finding, clock()) });
    return;
  }
  const status = result.reason === 'not_found' ? 404 : result.reason === 'conflict' ? 409 : 400;
  res.status(status).json({ error: result.message });
}

function readBody(req: Request): Record<string, unknown> {
  const body = req.body as unknown;
  if (body === null || typeof body !== 'object' || Array.isArray(body))
    throw new BadBodyError('the body must be a JSON object');
  return body as Record<string, unknown>;
}

function readActor(value: unknown, required: boolean): string | undefined {
  if (value === undefined && !required) return undefined;
  const text = typeof value === 'string' ? stripControlCharacters(value, { singleLine: true }).trim() : '';
  if (!text || text.length > MAX_ACTOR_CHARS)
    throw new BadBodyError(
      `body.by must be a name of 1 to ${MAX_ACTOR_CHARS} characters, got ${JSON.stringify(value) ?? 'nothing'}`,
    );
  return text;
}

function readUntil(value: unknown, now: number): number {
  const at = typeof value === 'string' && /^\d{4}-\d\d-\d\dT/.test(value) ? Date.parse(value) : Number.NaN;
  if (!Number.isFinite(at))
    throw new BadBodyError(
      `body.until must be an ISO time such as "2026-01-01T09:00:00Z", got ${JSON.stringify(value) ?? 'nothing'}`,
    );
  if (at <= now)
    throw new BadBodyError(
      `body.until must be a time after now (${new Date(now).toISOString()}), got ${JSON.stringify(value)}`,
    );
  if (at - now > MAX_SNOOZE_MILLIS)
    throw new BadBodyError(`body.until must be at most 90 days ahead, got ${JSON.stringify(value)}`);
  return at;
}
