import { createHash, timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';

/** Cookie that carries the token for browsers, which cannot add an Authorization header to a page load. */
const TOKEN_COOKIE = 'joblens_token';

/** How a request presented a token: a header (no browser sends one by itself) or the page's cookie. */
export type TokenCarrier = 'bearer' | 'cookie';

/**
 * Whether `req` carries one of `tokens`, and how. `Authorization: Bearer` wins over the cookie. Hashing
 * both sides first gives equal lengths, so each comparison takes the same time whatever was sent.
 */
export function presentedToken(req: Request, tokens: readonly string[]): TokenCarrier | 'wrong' | 'none' {
  const header = /^Bearer\s+(.+)$/i.exec(req.get('authorization') ?? '');
  if (header) return matchesAny(header[1].trim(), tokens) ? 'bearer' : 'wrong';
  const cookie = readCookie(req.get('cookie'), TOKEN_COOKIE);
  if (cookie === undefined) return 'none';
  return matchesAny(cookie, tokens) ? 'cookie' : 'wrong';
}

/**
 * Express middleware demanding one of `tokens`: `Authorization: Bearer <token>` (API clients, Prometheus),
 * or the `joblens_token` cookie that opening a page once as `/?token=<token>` sets (browsers); 401 JSON
 * otherwise. The cookie is `Secure` when the request came over https (`req.secure`, which believes
 * `X-Forwarded-Proto` only when the app's `trust proxy` is set).
 */
export function requireToken(tokens: string | readonly string[]) {
  const accepted = typeof tokens === 'string' ? [tokens] : tokens;
  return (req: Request, res: Response, next: NextFunction): void => {
    const presented = presentedToken(req, accepted);
    if (presented === 'bearer' || presented === 'cookie') {
      next();
      return;
    }
    const query = typeof req.query.token === 'string' ? req.query.token : undefined;
    const hasHeader = req.get('authorization') !== undefined;
    if (!hasHeader && req.method === 'GET' && query !== undefined && matchesAny(query, accepted)) {
      res.cookie(TOKEN_COOKIE, query, { httpOnly: true, sameSite: 'strict', path: '/', secure: req.secure });
      next();
      return;
    }
    refuseUnauthorized(
      res,
      hasHeader
        ? 'the bearer token is not valid'
        : 'a bearer token is required (Authorization: Bearer <token>)',
    );
  };
}

export function refuseUnauthorized(res: Response, error: string): void {
  res.status(401).set('WWW-Authenticate', 'Bearer realm="joblens"').json({ error });
}

function matchesAny(given: string, tokens: readonly string[]): boolean {
  const presented = digest(given);
  let matched = false;
  // Every token is compared, so the time does not say which role's token was close.
  for (const token of tokens) matched = timingSafeEqual(presented, digest(token)) || matched;
  return matched;
}

function readCookie(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) {
      try {
        return decodeURIComponent(value.join('='));
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}
