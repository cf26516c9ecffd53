/**
 * Secrets must not travel past the receiver: not into the model, findings, the page, webhook bodies, the
 * SQLite file, incident tickets or an LLM's context. Attribute keys that name a secret lose their value;
 * values that embed credentials (URL passwords, bearer tokens, JWTs, `password=...`) are masked, and
 * e-mail addresses too when asked. The receiver redacts every record at ingest (`redact-records.ts`);
 * explain redacts again what it prints, as findings saved by an older analyzer may predate that.
 */

export interface RedactionOptions {
  /** Also mask e-mail addresses inside values (`[EMAIL]`). Default false: they are often the subject. */
  emails?: boolean;
}

export const REDACTED = '[REDACTED]';
const EMAIL_MASK = '[EMAIL]';

/**
 * A key names a secret when one of its words does, whatever the case or separator: `db_password`,
 * `http.request.header.authorization`, `X-Api-Key`, `apiKey`, `aws.secret_access_key`, `set-cookie`,
 * `csrftoken`. Words, not substrings: `book.author`, `passenger_count` and `job.passed` are not secrets.
 */
const SECRET_WORD =
  /^(?:[a-z0-9]*(?:password|passwd|pwd|secret|token|apikey|authorization|cookie|credentials?|privatekey|accesskey|signature)|pass|auth|session|sessionid)$/;
/** Two words that name a secret together: `api key`, `private_key`, `accessKey`. */
const SECRET_PAIR = /^(?:api|private|access|secret|session) (?:key|id)$/;
const KEY_WORDS = /[A-Z]?[a-z0-9]+|[A-Z]+(?![a-z])/g;

function namesSecret(key: string): boolean {
  const words = (key.match(KEY_WORDS) ?? []).map((word) => word.toLowerCase());
  for (let i = 0; i < words.length; i++) {
    if (SECRET_WORD.test(words[i])) return true;
    if (i > 0 && SECRET_PAIR.test(`${words[i - 1]} ${words[i]}`)) return true;
  }
  return false;
}

/**
 * What a value passing `mayHoldSecret` must also hold to be worth the patterns: a URL with user info,
 * a JWT or one of these words. Not a bare `@`: scope names (`@joblens/sdk`) have one, and sent every
 * span through all the patterns.
 */
const SUSPECT =
  /:\/\/[^\s/@]*@|eyJ|bearer|basic|pass|pwd|secret|token|api[-_]?key|authorization|cookie|credential/i;

// The scheme's length is bounded: unbounded, every position of a long word would scan to its end, and a
// 100 kB attribute value took minutes. The user name stays: it helps, and is not the secret.
const URL_PASSWORD = /([a-z][a-z0-9+.-]{0,31}:\/\/[^/\s:@]{0,256}):[^/\s@]{1,256}@/gi;
const AUTH_SCHEME_TOKEN = /\b(bearer|basic)\s+[a-z0-9._~+/=-]{8,}/gi;
const JWT = /\beyJ[a-z0-9_-]{5,4096}\.[a-z0-9_-]{5,4096}\.[a-z0-9_-]{5,4096}/gi;
// Also `"password":"…"`: checkpoint data and logged payloads are JSON text; and query strings.
const KEY_VALUE =
  /\b((?:[a-z_]{0,64}(?:pass(?:word|wd)?|pwd|secret|token|api[-_]?key|authorization|cookie|credentials?))"?\s*[=:]\s*"?)(?!bearer\s|basic\s)[^\s&,;"']+/gi;
const EMAIL = /[a-z0-9._%+-]{1,64}@[a-z0-9-]{1,63}(?:\.[a-z0-9-]{1,63}){0,8}\.[a-z]{2,24}\b/gi;

/** Bound of the key-decision cache; keys come from the wire, so an unbounded cache would be a leak. */
const MAX_CACHED_KEYS = 4096;
const secretKeys = new Map<string, boolean>();

export function isSecretKey(key: string): boolean {
  let secret = secretKeys.get(key);
  if (secret === undefined) {
    secret = namesSecret(key);
    // Forgetting all at once is cheap and keeps the common keys (re-learnt at once) without an LRU.
    if (secretKeys.size >= MAX_CACHED_KEYS) secretKeys.clear();
    secretKeys.set(key, secret);
  }
  return secret;
}

/**
 * Every pattern needs one of these characters: `@` (URLs, e-mails), `=` or `:` (key=value), white space
 * (an auth scheme and its token; any non-ASCII character counts, as Unicode has spaces too), or a JWT's
 * `eyJ`. Most values (job names, queue names, ids, step names) have none and end after this loop,
 * which for such short strings costs less than a regular expression's call: it keeps redaction at
 * ingest a small part of the receiver's time.
 */
function mayHoldSecret(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c <= 32 || c === 64 || c === 61 || c === 58 || c > 126) return true;
  }
  return text.includes('eyJ');
}

export function redactText(text: string, options: RedactionOptions = {}): string {
  if (!mayHoldSecret(text)) return text;
  const emails = options.emails === true && text.includes('@');
  if (!emails && !SUSPECT.test(text)) return text;
  let out = text
    .replace(URL_PASSWORD, `$1:${REDACTED}@`)
    .replace(AUTH_SCHEME_TOKEN, `$1 ${REDACTED}`)
    .replace(JWT, REDACTED)
    .replace(KEY_VALUE, `$1${REDACTED}`);
  if (emails) out = out.replace(EMAIL, EMAIL_MASK);
  return out;
}

/**
 * Deep copy with secrets removed; bounded in depth so hostile nesting can't blow the stack. What lies
 * deeper than the bound is dropped rather than passed on unread.
 */
export function redactValue(value: unknown, key = '', depth = 0, options: RedactionOptions = {}): unknown {
  if (key && isSecretKey(key)) return REDACTED;
  if (typeof value === 'string') return redactText(value, options);
  if (value === null || typeof value !== 'object') return value;
  if (depth > 8) return REDACTED;
  if (Array.isArray(value)) return value.map((v) => redactValue(v, '', depth + 1, options));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = redactValue(v, k, depth + 1, options);
  return out;
}
