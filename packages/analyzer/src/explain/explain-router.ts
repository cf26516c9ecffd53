import { Router } from 'express';
import type { FindingSources } from '../findings/finding-sources.js';
import { type Logger, stderrLogger } from '../log/logger.js';
import { buildExplanation } from './build-explanation.js';
import { renderExplanationMarkdown } from './render-markdown.js';

/**
 * `GET /api/findings/:id/context`: Markdown by default; JSON with `?format=json` or `Accept: application/json`.
 */
export function createExplainRouter(sources: FindingSources, logger: Logger = stderrLogger): Router {
  const router = Router();
  router.get('/api/findings/:id/context', async (req, res) => {
    const finding = await sources.store.get(String(req.params.id));
    if (!finding) {
      res.status(404).json({ error: `no finding with id ${req.params.id}` });
      return;
    }
    try {
      const explanation = await buildExplanation(finding, sources);
      if (wantsJson(req.query.format, req.get('accept'))) res.json(explanation);
      else res.type('text/markdown; charset=utf-8').send(renderExplanationMarkdown(explanation));
    } catch (error) {
      logger.error(`explaining ${finding.id} failed`, error);
      res.status(500).json({ error: 'could not build the explanation; the analyzer logged why' });
    }
  });
  return router;
}

function wantsJson(format: unknown, accept: string | undefined): boolean {
  if (format === 'json') return true;
  if (format === 'markdown') return false;
  if (!accept) return false;
  return accept.includes('application/json') && !accept.includes('text/markdown');
}
