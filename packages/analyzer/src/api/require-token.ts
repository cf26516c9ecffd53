import { createHash, timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';

/**
 * Express middleware demanding `Authorization: Bearer <token>`; 401 JSON otherwise. Hashing both sides
 * first gives equal lengths, so the comparison takes the same time whatever the caller sent.
 */
export function requireToken(token: string) {
  const expected = digest(token);
  return (req: Request, res: Response, next: NextFunction): void => {
    const header = req.get('authorization') ?? '';
    const match = /^Bearer\s+(.+)$/i.exec(header);
    if (match && timingSafeEqual(digest(match[1].trim()), expected)) {
      next();
      return;
    }
    res
      .status(401)
      .set('WWW-Authenticate', 'Bearer realm="joblens"')
      .json({
        error: match
          ? 'the bearer token is not valid'
          : 'a bearer token is required (Authorization: Bearer <token>)',
      });
  };
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}
