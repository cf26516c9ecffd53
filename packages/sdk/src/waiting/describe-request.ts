/** Longest path kept: enough to tell endpoints apart, never a payload smuggled into a URL. */
const MAX_PATH_LENGTH = 200;
const DEFAULT_PORTS: Readonly<Record<string, string>> = { 'http:': '80', 'https:': '443' };

/** The path without its query string or fragment (which may carry tokens), bounded. */
export function pathWithoutQuery(path: string | undefined): string {
  if (typeof path !== 'string' || path === '') return '/';
  let end = path.length;
  const query = path.indexOf('?');
  if (query >= 0) end = query;
  const hash = path.indexOf('#');
  if (hash >= 0 && hash < end) end = hash;
  const bare = path.slice(0, end) || '/';
  return bare.length > MAX_PATH_LENGTH ? `${bare.slice(0, MAX_PATH_LENGTH)}…` : bare;
}

/** `host:port` with the port always written, the scheme's default when none was given. */
function hostAndPort(protocol: string, host: string, port: string | number | undefined): string {
  const explicit = port === undefined || port === '' ? DEFAULT_PORTS[protocol] : String(port);
  // An IPv6 literal keeps its brackets, so `[::1]:8080` stays readable.
  const bareHost = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
  return explicit === undefined ? bareHost : `${bareHost}:${explicit}`;
}

/** `GET http://10.0.0.5:8080/rows`: never credentials, a query string or a header value. */
function describeCall(method: string, protocol: string, address: string, path: string): string {
  return `${method.toUpperCase()} ${protocol}//${address}${pathWithoutQuery(path)}`;
}

/** What `node:http` puts on the `http.client.request.start` channel (a `ClientRequest`). */
export type NodeClientRequest = {
  method?: string;
  protocol?: string;
  host?: string;
  path?: string;
  getHeader?(name: string): unknown;
};

/** Splits a Host header (`example.com:8080`, `[::1]:80`) into host and port. */
function splitHostHeader(value: string): { host: string; port?: string } {
  const match = /^(\[[^\]]*\]|[^:]*)(?::(\d+))?$/.exec(value);
  if (!match) return { host: value };
  return { host: match[1], port: match[2] };
}

/** Describes a `node:http`/`https` request; undefined when it lacks what a description needs. */
export function describeNodeRequest(request: NodeClientRequest): string | undefined {
  const protocol = typeof request.protocol === 'string' ? request.protocol : 'http:';
  const header = typeof request.getHeader === 'function' ? request.getHeader('host') : undefined;
  // The Host header holds the port (`host` alone does not); a caller may turn it off (`setHost: false`).
  const parsed = typeof header === 'string' && header !== '' ? splitHostHeader(header) : undefined;
  const host = parsed?.host ?? request.host;
  if (typeof host !== 'string' || host === '') return undefined;
  return describeCall(
    request.method ?? 'GET',
    protocol,
    hostAndPort(protocol, host, parsed?.port),
    request.path ?? '/',
  );
}

/** What undici (and so `fetch`) puts on its `undici:request:*` channels. */
export type UndiciRequest = { method?: string; origin?: unknown; path?: string };

/** Describes a call to a whole URL (an exporter's endpoint); undefined for a URL that does not parse. */
export function describeUrl(method: string, href: string): string | undefined {
  try {
    const url = new URL(href);
    return describeCall(
      method,
      url.protocol,
      hostAndPort(url.protocol, url.hostname, url.port),
      url.pathname,
    );
  } catch {
    return undefined;
  }
}

/** Describes an undici request; the origin is parsed so that credentials in it are dropped. */
export function describeUndiciRequest(request: UndiciRequest): string | undefined {
  const origin = request.origin;
  let url: URL;
  try {
    url = origin instanceof URL ? origin : new URL(String(origin));
  } catch {
    return undefined;
  }
  return describeCall(
    request.method ?? 'GET',
    url.protocol,
    hostAndPort(url.protocol, url.hostname, url.port),
    request.path ?? '/',
  );
}
