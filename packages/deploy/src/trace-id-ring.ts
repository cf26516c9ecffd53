import { crc32 } from 'node:zlib';

// Mirrors the consistent hash ring of the Collector's `loadbalancing` exporter (consistent_hashing.go in
// opentelemetry-collector-contrib): 100 positions per backend on a ring of 36000, each the CRC-32 (IEEE)
// of the endpoint followed by one byte i; a trace goes to the backend at or after the CRC-32 of its
// 16 id bytes, modulo 36000, searched the way the exporter's bsearch does.
const MAX_POSITIONS = 36_000;
const WEIGHT = 100;

type RingItem = { pos: number; endpoint: string };

function bsearch(pos: number, left: RingItem[], right: RingItem[]): RingItem {
  if (left[left.length - 1].pos === pos) return left[left.length - 1];
  if (right[0].pos === pos) return right[0];
  if (pos > right[right.length - 1].pos) return left[0];
  if (pos > left[left.length - 1].pos) {
    if (right.length === 1) return right[0];
    return bsearch(pos, right.slice(0, right.length >> 1), right.slice(right.length >> 1));
  }
  if (left.length === 1) return left[0];
  return bsearch(pos, left.slice(0, left.length >> 1), left.slice(left.length >> 1));
}

export type TraceIdRing = { endpointFor(traceIdHex: string): string };

/** The ring for these backends, in the order the exporter's resolver lists them (sorted). */
export function createTraceIdRing(endpoints: readonly string[]): TraceIdRing {
  if (endpoints.length === 0) throw new Error('createTraceIdRing: expected at least one endpoint, got none');
  const used = new Set<number>();
  const items: RingItem[] = [];
  for (const endpoint of [...endpoints].sort()) {
    for (let i = 0; i < WEIGHT; i++) {
      const pos = crc32(Buffer.concat([Buffer.from(endpoint), Buffer.from([i & 0xff])])) % MAX_POSITIONS;
      if (used.has(pos)) continue;
      used.add(pos);
      items.push({ pos, endpoint });
    }
  }
  items.sort((a, b) => a.pos - b.pos);
  const half = items.length >> 1;
  return {
    endpointFor(traceIdHex) {
      const pos = crc32(Buffer.from(traceIdHex, 'hex')) % MAX_POSITIONS;
      if (items.length === 1) return items[0].endpoint;
      return bsearch(pos, items.slice(0, half), items.slice(half)).endpoint;
    },
  };
}
