import type { ErrorRequestHandler, Request, Response } from 'express';
import { type Logger, stderrLogger } from '../log/logger.js';

/** Last route: an unknown path is a JSON 404, not express's HTML page. */
export function notFoundJson(req: Request, res: Response): void {
  res.status(404).json({ error: `no route ${req.method} ${req.path}` });
}

/**
 * Last error handler: express's default prints the stack into the response outside production. Client
 * errors (bad JSON bodies, too large) keep their 4xx status; everything else is logged and answers a plain 500.
 */
export function errorsAsJson(logger: Logger = stderrLogger): ErrorRequestHandler {
  return (error: unknown, req, res, _next) => {
    const status = clientStatus(error);
    if (res.headersSent) {
      res.end();
      return;
    }
    if (status) {
      res.status(status).json({ error: (error as Error).message || 'bad request' });
      return;
    }
    logger.error(`${req.method} ${req.path} failed`, error);
    res.status(500).json({ error: 'the analyzer could not answer; it logged why' });
  };
}

function clientStatus(error: unknown): number | undefined {
  const status =
    (error as { status?: unknown; statusCode?: unknown } | null)?.status ??
    (error as { statusCode?: unknown })?.statusCode;
  return typeof status === 'number' && status >= 400 && status < 500 ? status : undefined;
}
