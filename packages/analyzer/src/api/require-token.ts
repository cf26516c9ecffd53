import { createHash, timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';

/** Cookie that carries the token for browsers, which cannot add an Authorization header to a page load. */
export const TOKEN_COOKIE = 'joblens_token';

/**
 * Express middleware demanding the token: `Authorization: Bearer <token>` (API clients, Prometheus), or the
 * `joblens_token` cookie that opening a page once as `/?token=<token>` sets (browsers); 401 JSON otherwise.
 * Hashing both sides first gives equal lengths, so the comparison takes the same time whatever was sent.
 */
export function requireToken(token: string) {
  const expected = digest(token);
  const matches = (given: string | undefined) =>
    given !== undefined && timingSafeEqual(digest(given), expected);
  return (req: Request, res: Response, next: NextFunction): void => {
    const header = /^Bearer\s+(.+)$/i.exec(req.get('authorization') ?? '');
    if (header ? matches(header[1].trim()) : matches(readCookie(req.get('cookie'), TOKEN_COOKIE))) {
      next();
      return;
    }
    const query = typeof req.query.token === 'string' ? req.query.token : undefined;
    if (!header && req.method === 'GET' && matches(query)) {
      res.cookie(TOKEN_COOKIE, query, { httpOnly: true, sameSite: 'strict', path: '/' });
      next();
      return;
    }
    res
      .status(401)
      .set('WWW-Authenticate', 'Bearer realm="joblens"')
      .json({
        error: header
          ? 'the bearer token is not valid'
          : 'a bearer token is required (Authorization: Bearer <token>)',
      });
  };
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
