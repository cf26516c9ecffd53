/**
 * `error.type` of a failure: the error's code when it has one (`ECONNRESET`), else its class name
 * (`TimeoutError`), else `_OTHER` as the semantic conventions ask for unknown kinds.
 */
export function errorTypeOf(error: unknown): string {
  try {
    if (error !== null && typeof error === 'object') {
      const code = (error as { code?: unknown }).code;
      if ((typeof code === 'string' && code !== '') || typeof code === 'number') return String(code);
      const name = (error as { constructor?: { name?: unknown } }).constructor?.name;
      if (typeof name === 'string' && name !== '' && name !== 'Object') return name;
    }
  } catch {
    // Hostile getters (proxies) fall through to the generic kind.
  }
  return '_OTHER';
}

/** A message for span status, never throwing on odd thrown values. */
export function errorMessageOf(error: unknown): string {
  try {
    if (error instanceof Error) return error.message;
    return typeof error === 'string' ? error : String(error);
  } catch {
    return 'unprintable error';
  }
}
