/**
 * The flood of overload.bench.ts, in a process of its own so that sending it does not delay the
 * /healthz probes of the bench (what is measured is the analyzer's delay, not the client's). Gets
 * `{ url, body, connections, millis }` over IPC (advanced serialization), sends back the count of
 * answers by status, and exits.
 */
interface FloodOrder {
  url: string;
  body: Uint8Array;
  connections: number;
  millis: number;
}

const { url, body, connections, millis } = await new Promise<FloodOrder>((resolve) =>
  process.once('message', (message) => resolve(message as FloodOrder)),
);
const until = performance.now() + millis;
const statuses: Record<number, number> = {};

async function floodOneConnection(): Promise<void> {
  while (performance.now() < until) {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-protobuf' },
      body,
    }).catch(() => undefined);
    const status = response?.status ?? -1;
    await response?.arrayBuffer().catch(() => undefined);
    statuses[status] = (statuses[status] ?? 0) + 1;
  }
}

await Promise.all(Array.from({ length: connections }, floodOneConnection));
process.send?.(statuses, () => process.exit(0));
