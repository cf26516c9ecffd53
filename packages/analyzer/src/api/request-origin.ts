import { hostname, networkInterfaces } from 'node:os';
import type { Request } from 'express';

/** Host names meaning this machine, whatever the analyzer binds to. */
const LOOPBACK_NAMES = ['localhost', '127.0.0.1', '::1'];
const WILDCARD_HOSTS = new Set(['0.0.0.0', '::', '']);

/**
 * The names a request's Host may carry to be for this analyzer: loopback, the address it binds to, and on
 * a wildcard bind the machine's name and interface addresses. Anything else is a page on another name
 * that resolved here (DNS rebinding) or a proxy forwarding a foreign Host. Bounded by the interfaces.
 */
export function ownHostNames(bindHost: string): Set<string> {
  const names = new Set(LOOPBACK_NAMES);
  const host = bindHost.toLowerCase();
  if (!WILDCARD_HOSTS.has(host)) {
    names.add(host.replace(/^\[|\]$/g, ''));
    return names;
  }
  names.add(hostname().toLowerCase());
  for (const addresses of Object.values(networkInterfaces())) {
    for (const address of addresses ?? []) names.add(address.address.toLowerCase());
  }
  return names;
}

/** The host name of a Host header (`[::1]:4320` → `::1`, `Example.org:80` → `example.org`). */
export function hostNameOf(hostHeader: string): string {
  const host = hostHeader.trim().toLowerCase();
  const bracketed = /^\[([^\]]*)\]/.exec(host);
  if (bracketed) return bracketed[1];
  // More than one colon and no brackets: a bare IPv6 address, without a port.
  if (host.indexOf(':') !== host.lastIndexOf(':')) return host;
  return host.split(':')[0];
}

/**
 * Why the request comes from another site, or undefined when it does not: its `Origin` (else its
 * `Referer`) names a host:port other than the one it was sent to. A request with neither (curl, the CLI)
 * is not from a page, so it is not foreign. `Origin: null` (a sandboxed frame, a file) is foreign.
 */
export function foreignOriginOf(req: Request, trustProxy: boolean): string | undefined {
  const origin = req.get('origin');
  const referer = req.get('referer');
  const claimed = origin ?? referer;
  if (claimed === undefined || claimed === '') return undefined;
  const header = origin !== undefined ? 'Origin' : 'Referer';
  let host: string;
  try {
    host = new URL(claimed).host.toLowerCase();
  } catch {
    return `its ${header} ${JSON.stringify(claimed)} is not a URL`;
  }
  const targets = [req.get('host')];
  if (trustProxy) targets.push(req.get('x-forwarded-host')?.split(',')[0]);
  if (host !== '' && targets.some((target) => target?.trim().toLowerCase() === host)) return undefined;
  return `its ${header} ${JSON.stringify(claimed)} is not this analyzer`;
}
