import { lookup as dnsLookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import type { ChannelConfig } from '../config/alerts-config.js';
import { PAGERDUTY_EVENTS_URL } from './pagerduty-channel.js';
import { isPrivateAddress } from './private-address.js';

/** Resolves a host name to every address it has, as `dns.promises.lookup(host, { all: true })` does. */
export type LookupAll = (host: string) => Promise<Array<{ address: string }>>;

const defaultLookup: LookupAll = (host) => dnsLookup(host, { all: true });

/** The host a channel connects to. */
function targetHostOf(config: ChannelConfig): string {
  if (config.type === 'email') return config.host;
  const url = config.type === 'pagerduty' ? (config.url ?? PAGERDUTY_EVENTS_URL) : config.url;
  // URL keeps the brackets of an IPv6 host; lookup wants the bare address.
  return new URL(url).hostname.replace(/^\[(.*)\]$/, '$1');
}

/**
 * Why the channel's target is off limits (it is, or resolves to, a loopback, link-local or private
 * address), or undefined when every address it resolves to is public. A name that does not resolve is
 * refused too: it cannot be checked.
 */
export async function privateTargetReason(
  config: ChannelConfig,
  lookup: LookupAll = defaultLookup,
): Promise<string | undefined> {
  const host = targetHostOf(config);
  let addresses: string[];
  try {
    addresses = isIP(host) ? [host] : (await lookup(host)).map((a) => a.address);
  } catch (error) {
    return `${host} does not resolve (${(error as { code?: string }).code ?? String(error)})`;
  }
  const blocked = addresses.find(isPrivateAddress);
  if (blocked === undefined) return undefined;
  return `${host}${blocked === host ? '' : ` resolves to ${blocked}, which`} is a loopback, link-local or private address; channels created through the API may reach those only with alerts.allowPrivateAddresses: true`;
}
