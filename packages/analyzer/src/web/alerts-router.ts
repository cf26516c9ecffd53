import express, { Router } from 'express';
import type { OutboxStatus } from '../alerts/alert-outbox.js';
import { type AlertDeliveries, renderAlertsPage } from './alerts-page.js';

/** The outbox as the router needs it: read, and put a dead letter back in line. */
export interface AlertDeliveryControl extends AlertDeliveries {
  retry(id: string, now: number): Promise<boolean>;
}

const STATUSES: readonly OutboxStatus[] = ['pending', 'delivered', 'dead'];
const MAX_LIMIT = 1000;

/**
 * `/alerts` (the page) and `GET /api/alerts/deliveries?status=dead&limit=100`, behind the read token;
 * `POST /api/alerts/deliveries/:id/retry` (admin, a JSON body such as `{}`) sends a dead letter again,
 * once its receiver is fixed, with a fresh retry window. `wake` starts the delivery loop on it at once.
 */
export function createAlertsRouter(
  deliveries: AlertDeliveryControl,
  options: { clock: () => number; wake: () => void },
): Router {
  const router = Router();
  router.use('/api/alerts/deliveries', express.json({ limit: '1kb' }));
  router.post('/api/alerts/deliveries/:id/retry', async (req, res) => {
    const id = String(req.params.id);
    if (!(await deliveries.retry(id, options.clock()))) {
      res.status(404).json({ error: `no dead letter has the id ${JSON.stringify(id)}` });
      return;
    }
    options.wake();
    res.status(202).json({ id, status: 'pending' });
  });
  router.get('/alerts', async (_req, res) => {
    res
      .status(200)
      .type('html')
      .set('Cache-Control', 'no-store')
      .send(await renderAlertsPage(deliveries));
  });
  router.get('/api/alerts/deliveries', async (req, res) => {
    const status = String(req.query.status ?? 'dead') as OutboxStatus;
    if (!STATUSES.includes(status)) {
      res
        .status(400)
        .json({ error: `status must be one of ${STATUSES.join(', ')}, got ${JSON.stringify(status)}` });
      return;
    }
    const limit = Math.min(MAX_LIMIT, Math.max(1, Number(req.query.limit) || 100));
    const [total, list] = await Promise.all([deliveries.count(status), deliveries.list(status, limit)]);
    res.json({ status, total, deliveries: list });
  });
  return router;
}
