import type { AnalyzerConfig } from '../config/analyzer-config.js';
import { openRoles, roleTokens } from './access-roles.js';

/** Whether a bind address reaches only this machine: `localhost`, 127.0.0.0/8 or ::1. */
export function isLoopbackHost(host: string): boolean {
  const name = host
    .trim()
    .toLowerCase()
    .replace(/^\[|\]$/g, '');
  return name === 'localhost' || name === '::1' || /^127(\.\d{1,3}){3}$/.test(name);
}

/**
 * Why the analyzer must not start as configured, or undefined: bound to an address other machines reach
 * while a role has no token, so that anyone on the network could ingest, read or change. `serve` turns
 * this into exit code 2 unless `--insecure-no-auth` says the network is trusted.
 */
export function unprotectedExposure(
  config: Pick<AnalyzerConfig, 'host' | 'token' | 'ingestToken' | 'readToken' | 'adminToken'>,
): string | undefined {
  if (isLoopbackHost(config.host)) return undefined;
  const open = openRoles(roleTokens(config));
  if (open.length === 0) return undefined;
  return `refusing to listen on ${config.host} with no token for ${open.join(', ')}: set --token (or --${open[0]}-token, --${open[0]}-token-file, JOBLENS_TOKEN, ...), or pass --insecure-no-auth on a trusted network`;
}
