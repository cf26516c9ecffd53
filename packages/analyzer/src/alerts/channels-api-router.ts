import express, { type NextFunction, type Request, type Response, Router } from 'express';
import type { ChannelConfig } from '../config/alerts-config.js';
import { type Logger, stderrLogger } from '../log/logger.js';
import { type ApiChannels, publicChannelView } from './api-channels.js';

/**
 * `GET /api/alerts/channels` (the config file's and the API's, secrets masked), `POST /api/alerts/channels`
 * with a channel's settings as in `alerts.channels` plus an optional `match`, and
 * `DELETE /api/alerts/channels/:name` (API-created channels only). The access middleware in front asks
 * the admin token and a JSON body of every change.
 */
export function createChannelsApiRouter(
  channels: ApiChannels,
  configured: readonly ChannelConfig[],
  logger: Logger = stderrLogger,
): Router {
  const router = Router();
  router.use('/api/alerts/channels', express.json({ limit: '10kb' }));

  router.get('/api/alerts/channels', async (_req, res) => {
    const stored = await channels.list();
    res.set('Cache-Control', 'no-store').json({
      channels: [
        ...configured.map((c) => ({ ...publicChannelView(c), source: 'config' })),
        ...stored.map((c) => ({
          ...publicChannelView(c.config),
          ...(c.match ? { match: c.match } : {}),
          source: 'api',
          createdAt: c.createdAt,
        })),
      ],
    });
  });

  router.post('/api/alerts/channels', async (req, res) => {
    const body = req.body as unknown;
    if (body === null || typeof body !== 'object' || Array.isArray(body)) {
      res.status(400).json({ error: 'the body must be a JSON object with the channel settings' });
      return;
    }
    const result = await channels.create(body as Record<string, unknown>);
    if (!result.ok) {
      res.status(result.status).json({ error: result.error });
      return;
    }
    res.status(201).json({ channel: { ...publicChannelView(result.channel.config), source: 'api' } });
  });

  router.delete('/api/alerts/channels/:name', async (req, res) => {
    const name = String(req.params.name);
    if (configured.some((c) => c.name === name)) {
      res
        .status(409)
        .json({ error: `channel ${JSON.stringify(name)} comes from the config file; remove it there` });
      return;
    }
    if (!(await channels.remove(name))) {
      res.status(404).json({ error: `no channel created through the API is named ${JSON.stringify(name)}` });
      return;
    }
    res.status(204).end();
  });

  router.use('/api/alerts/channels', (error: unknown, _req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) return next(error);
    logger.error('the channels API failed', error);
    res.status(500).json({ error: 'the channels API failed; the analyzer logged why' });
  });
  return router;
}
