import net from 'node:net';

/** What the process holds open besides the job's own calls. */
export type OpenHandlesSummary = {
  /** Active timers (`setTimeout`/`setInterval`) that keep the process alive: unref'd ones (the SDK's) are not counted. */
  readonly timers: number;
  /** Connected sockets. */
  readonly sockets: number;
  /** Remote `host:port`s with the most sockets, most first, at most the limit asked for. */
  readonly peers: readonly { address: string; sockets: number }[];
};

/** Distinct remote addresses counted; a process with more (a proxy) is summarized by the first ones. */
const MAX_COUNTED_PEERS = 256;

/**
 * `process.getActiveResourcesInfo()` names the kinds of what keeps the loop alive but not where a
 * socket leads; the handles themselves (`process._getActiveHandles()`, undocumented but present since
 * Node 0.x and read by every "why is node running" tool) do. Read only when a record needs it.
 */
function activeHandles(): unknown[] {
  const read = (process as unknown as { _getActiveHandles?: () => unknown[] })._getActiveHandles;
  return typeof read === 'function' ? read.call(process) : [];
}

export function summarizeOpenHandles(maxPeers: number): OpenHandlesSummary {
  let timers = 0;
  for (const kind of process.getActiveResourcesInfo()) if (kind === 'Timeout') timers += 1;
  const byPeer = new Map<string, number>();
  let sockets = 0;
  for (const handle of activeHandles()) {
    if (!(handle instanceof net.Socket)) continue;
    const { remoteAddress, remotePort } = handle;
    if (remoteAddress === undefined || remotePort === undefined) continue;
    sockets += 1;
    const address = remoteAddress.includes(':')
      ? `[${remoteAddress}]:${remotePort}`
      : `${remoteAddress}:${remotePort}`;
    const count = byPeer.get(address);
    if (count !== undefined) byPeer.set(address, count + 1);
    else if (byPeer.size < MAX_COUNTED_PEERS) byPeer.set(address, 1);
  }
  const peers = [...byPeer]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, maxPeers)
    .map(([address, count]) => ({ address, sockets: count }));
  return { timers, sockets, peers };
}
