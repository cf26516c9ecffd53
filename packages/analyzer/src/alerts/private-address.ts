import { BlockList, isIP } from 'node:net';

/**
 * Ranges a channel created through the API may not reach without `alerts.allowPrivateAddresses`: whoever
 * holds an admin token must not be able to make the analyzer POST to the machine's own services or its
 * network (cloud metadata at 169.254.169.254, a database's HTTP port, a router's admin page).
 */
const BLOCKED = new BlockList();
for (const [prefix, bits] of [
  ['0.0.0.0', 8], // "this network"; 0.0.0.0 reaches the local machine on Linux
  ['10.0.0.0', 8],
  ['100.64.0.0', 10], // carrier-grade NAT, private in practice
  ['127.0.0.0', 8],
  ['169.254.0.0', 16], // link-local, cloud metadata
  ['172.16.0.0', 12],
  ['192.168.0.0', 16],
] as const)
  BLOCKED.addSubnet(prefix, bits, 'ipv4');
for (const [prefix, bits] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7], // unique local
  ['fe80::', 10], // link-local
] as const)
  BLOCKED.addSubnet(prefix, bits, 'ipv6');

/** Whether an IP address is loopback, link-local or private; IPv4-mapped IPv6 addresses are judged as IPv4. */
export function isPrivateAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return isPrivateAddress(mapped[1]);
  const family = isIP(address);
  if (family === 0) return false;
  return BLOCKED.check(address, family === 4 ? 'ipv4' : 'ipv6');
}
