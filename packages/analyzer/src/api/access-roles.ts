import type { AnalyzerConfig } from '../config/analyzer-config.js';

/**
 * The three roles a request can need:
 * - ingest: OTLP on the OTLP port and `/ping` on the API port (workers, the Collector, cron jobs);
 * - read: the page, every GET of `/api/*`, `/metrics` (people, Prometheus, `joblens findings`);
 * - admin: every state-changing request (monitor changes, acknowledge, snooze, channels).
 * `/healthz` needs none.
 */
export type AccessRole = 'ingest' | 'read' | 'admin';

/** The token each role needs; a role without one is open. */
export type RoleTokens = Partial<Record<AccessRole, string>>;

const ACCESS_ROLES: readonly AccessRole[] = ['ingest', 'read', 'admin'];

/** Each role's own token, else the shared `token`, else none. */
export function roleTokens(
  config: Pick<AnalyzerConfig, 'token' | 'ingestToken' | 'readToken' | 'adminToken'>,
): RoleTokens {
  const tokens: RoleTokens = {};
  const ingest = config.ingestToken ?? config.token;
  const read = config.readToken ?? config.token;
  const admin = config.adminToken ?? config.token;
  if (ingest) tokens.ingest = ingest;
  if (read) tokens.read = read;
  if (admin) tokens.admin = admin;
  return tokens;
}

/** The roles left open (no token), in the order of ACCESS_ROLES. */
export function openRoles(tokens: RoleTokens): AccessRole[] {
  return ACCESS_ROLES.filter((role) => !tokens[role]);
}

/** Tokens that may read: the read token, and the admin token, since whoever may change things may see them. */
export function readingTokens(tokens: RoleTokens): string[] {
  return [tokens.read, tokens.admin].filter((token): token is string => Boolean(token));
}
