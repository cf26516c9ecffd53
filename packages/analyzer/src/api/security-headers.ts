import type { NextFunction, Request, Response } from 'express';

/**
 * Sent with every answer of the API port (page, JSON, /metrics, /healthz, pings). The page shows text
 * that came from workers (job names, error messages): should any of it slip past the escaping, the
 * policy still lets nothing run but the page's own script file, loads nothing from elsewhere, and no
 * other site can frame the page to trick a click. `no-referrer`: page URLs can carry `?token=`, and
 * links go out to Jaeger.
 */
const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    // The finding page's acknowledge and snooze forms post JSON to this same API with fetch.
    "connect-src 'self'",
    "form-action 'self'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
  ].join('; '),
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  // For browsers that predate frame-ancestors.
  'X-Frame-Options': 'DENY',
  'Cross-Origin-Opener-Policy': 'same-origin',
};

export function securityHeaders(_req: Request, res: Response, next: NextFunction): void {
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) res.setHeader(name, value);
  next();
}
