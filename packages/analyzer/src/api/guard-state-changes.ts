import type { NextFunction, Request, Response } from 'express';
import { foreignOriginOf, hostNameOf } from './request-origin.js';
import { presentedToken, refuseUnauthorized } from './require-token.js';

export interface StateChangeRules {
  /** The admin role's token; without one, state-changing requests are open but must be same-site. */
  adminToken?: string;
  /** Host names that are this analyzer's (request-origin.ts `ownHostNames`); checked when there is no admin token. */
  ownHosts: ReadonlySet<string>;
  /** Believe `X-Forwarded-Host` when comparing the Origin. */
  trustProxy: boolean;
}

/** Methods that only read; every other one changes state. */
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * The rules for a request that changes state (any method but GET, HEAD, OPTIONS), in order:
 * 1. with an admin token configured, it must carry it (401);
 * 2. a request a page on another site sent (its Origin or Referer names another host) is refused (403);
 * 3. with no admin token, a Host that is not this analyzer's (DNS rebinding) is refused (403);
 * 4. its body must be JSON (415): a cross-site HTML form can only send form encodings or text, and a
 *    page's fetch of JSON to another origin needs a preflight that this app never answers.
 * Reads go on untouched; the read role's check comes after.
 */
export function guardStateChanges(rules: StateChangeRules) {
  const adminTokens = rules.adminToken ? [rules.adminToken] : [];
  return (req: Request, res: Response, next: NextFunction): void => {
    if (SAFE_METHODS.has(req.method)) {
      next();
      return;
    }
    if (rules.adminToken) {
      const presented = presentedToken(req, adminTokens);
      if (presented !== 'bearer' && presented !== 'cookie') {
        refuseUnauthorized(
          res,
          presented === 'wrong'
            ? `${req.method} ${req.path} needs the admin token, and this is not it`
            : `${req.method} ${req.path} needs the admin token (Authorization: Bearer <admin token>)`,
        );
        return;
      }
    }
    const foreign = foreignOriginOf(req, rules.trustProxy);
    if (foreign) {
      res.status(403).json({ error: `${req.method} ${req.path} refused: ${foreign}` });
      return;
    }
    const host = hostNameOf(req.get('host') ?? '');
    if (!rules.adminToken && !rules.ownHosts.has(host)) {
      res.status(403).json({
        error: `${req.method} ${req.path} refused: the Host ${JSON.stringify(req.get('host') ?? '')} is not this analyzer's, and no admin token is set`,
      });
      return;
    }
    if (mediaTypeOf(req) !== 'application/json') {
      res.status(415).json({
        error: `${req.method} ${req.path} needs a JSON body (Content-Type: application/json), got ${JSON.stringify(req.get('content-type') ?? 'none')}`,
      });
      return;
    }
    next();
  };
}

/** The Content-Type without parameters; an empty body still needs it, so the rule has no exception. */
function mediaTypeOf(req: Request): string {
  return (req.get('content-type') ?? '').split(';')[0].trim().toLowerCase();
}
