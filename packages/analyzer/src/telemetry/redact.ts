/**
 * Secrets must not travel into incident tickets or an LLM's context. Attribute keys that name a secret
 * lose their value; values that embed credentials (URL user-info, bearer tokens, JWTs) are masked.
 */

const SECRET_KEY =
  /(pass(word|wd)?|pwd|secret|token|api[-_.]?key|apikey|private[-_.]?key|access[-_.]?key|auth(orization)?|cookie|session|credential|signature)/i;
const REDACTED = '[REDACTED]';

export function isSecretKey(key: string): boolean {
  return SECRET_KEY.test(key);
}

export function redactText(text: string): string {
  return (
    text
      // The scheme's length is bounded: unbounded, every position of a long word would scan to its end,
      // and a 100 kB attribute value took minutes.
      .replace(/([a-z][a-z0-9+.-]{0,31}:\/\/)[^/\s:@]+:[^/\s@]+@/gi, `$1${REDACTED}@`)
      .replace(/\b(bearer|basic)\s+[a-z0-9._~+/=-]{8,}/gi, `$1 ${REDACTED}`)
      .replace(/\beyJ[a-z0-9_-]{5,4096}\.[a-z0-9_-]{5,4096}\.[a-z0-9_-]{5,4096}/gi, REDACTED)
      // Also `"password":"…"`: checkpoint data and logged payloads are JSON text.
      .replace(/\b((?:pass(?:word)?|secret|token|api[-_]?key)"?\s*[=:]\s*"?)[^\s&,;"']+/gi, `$1${REDACTED}`)
  );
}

/** Deep copy with secrets removed; bounded in depth so hostile nesting can't blow the stack. */
export function redactValue(value: unknown, key = '', depth = 0): unknown {
  if (key && isSecretKey(key)) return REDACTED;
  if (typeof value === 'string') return redactText(value);
  if (depth > 8 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => redactValue(v, '', depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = redactValue(v, k, depth + 1);
  return out;
}
