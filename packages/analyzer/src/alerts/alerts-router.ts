import { Router } from 'express';
import type { OutboxStatus } from '../store/sqlite-alert-outbox.js';
import { type AlertDeliveries, renderAlertsPage } from '../web/alerts-page.js';

const STATUSES: readonly OutboxStatus[] = ['pending', 'delivered', 'dead'];
const MAX_LIMIT = 1000;

/** `/alerts` (the page) and `GET /api/alerts/deliveries?status=dead&limit=100`, behind the read token. */
export function createAlertsRouter(deliveries: AlertDeliveries): Router {
  const router = Router();
  router.get('/alerts', (_req, res) => {
    res.status(200).type('html').set('Cache-Control', 'no-store').send(renderAlertsPage(deliveries));
  });
  router.get('/api/alerts/deliveries', (req, res) => {
    const status = String(req.query.status ?? 'dead') as OutboxStatus;
    if (!STATUSES.includes(status)) {
      res
        .status(400)
        .json({ error: `status must be one of ${STATUSES.join(', ')}, got ${JSON.stringify(status)}` });
      return;
    }
    const limit = Math.min(MAX_LIMIT, Math.max(1, Number(req.query.limit) || 100));
    res.json({ status, total: deliveries.count(status), deliveries: deliveries.list(status, limit) });
  });
  return router;
}
