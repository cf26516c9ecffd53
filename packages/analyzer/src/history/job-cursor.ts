/**
 * The `nextCursor` of a job page: where the previous page stopped, as (lastEndMs, key) of its last job,
 * `key` being the store's own row number for the job. Pages continue from there (keyset pagination), so a
 * page costs the same whether it is the first or the thousandth, which an OFFSET would not.
 */
export interface JobCursor {
  lastEndMs: number;
  key: number;
}

/** A cursor that this analyzer did not hand out (edited, truncated, or from another version). */
export class InvalidCursorError extends Error {
  constructor(cursor: string) {
    super(`invalid cursor ${JSON.stringify(cursor.slice(0, 64))}: pass the nextCursor of the previous page`);
    this.name = 'InvalidCursorError';
  }
}

/** Opaque to clients: base64url of `[lastEndMs, key]`. */
export function encodeJobCursor(cursor: JobCursor): string {
  return Buffer.from(JSON.stringify([cursor.lastEndMs, cursor.key])).toString('base64url');
}

export function decodeJobCursor(cursor: string): JobCursor {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidCursorError(cursor);
  }
  if (
    !Array.isArray(parsed) ||
    parsed.length !== 2 ||
    // Times are milliseconds from nanosecond timestamps: often fractional.
    !Number.isFinite(parsed[0]) ||
    !Number.isSafeInteger(parsed[1])
  ) {
    throw new InvalidCursorError(cursor);
  }
  return { lastEndMs: parsed[0], key: parsed[1] };
}
