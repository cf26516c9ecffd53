import type { Attributes, AttrValue } from '@joblens/otlp-receiver';
import {
  ATTR_PROCESS_SOCKET_PEER_COUNTS,
  ATTR_PROCESS_SOCKET_PEERS,
  ATTR_PROCESS_SOCKETS,
  ATTR_PROCESS_TIMERS,
  ATTR_WAITING_COUNT,
  ATTR_WAITING_DURATIONS,
  ATTR_WAITING_OPERATIONS,
  MAX_SOCKET_PEERS,
  MAX_WAITING_OPERATIONS,
} from '@joblens/semconv';
import { formatSeconds } from './format-seconds.js';

/** What a silent attempt's `still running` record said it waits on (see docs/semantic-conventions.md). */
export interface WaitingEvidence {
  /** Open outbound calls, all of them; 0 when the job waits on something the SDK does not follow. */
  count: number;
  /** The longest open first. */
  calls: { call: string; openSeconds?: number }[];
  timers?: number;
  sockets?: number;
  socketPeers: { address: string; sockets?: number }[];
}

/** Longest call or address text kept: the SDK cuts paths at 200 characters, other senders may not. */
const MAX_TEXT = 300;

/**
 * A call as shown to people, whoever sent it: credentials, query string and fragment removed even
 * when the sender left them in (the joblens SDK never sends them).
 */
function redactCall(call: string): string {
  const clean = call
    .replace(/:\/\/[^\s/@]*@/g, '://')
    .replace(/[?#]\S*/g, '')
    .slice(0, MAX_TEXT);
  return clean;
}

function strings(value: AttrValue | undefined, max: number): string[] {
  if (!Array.isArray(value)) return [];
  return value
    .slice(0, max)
    .filter((v): v is string => typeof v === 'string' && v !== '')
    .map((v) => redactCall(v));
}

function numbers(value: AttrValue | undefined): (number | undefined)[] {
  if (!Array.isArray(value)) return [];
  return value.map((v) => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : undefined));
}

function count(value: AttrValue | undefined): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? Math.floor(value) : undefined;
}

/** Reads the waiting attributes; undefined when the record has none (an older SDK, another sender). */
export function readWaitingEvidence(attributes: Attributes | undefined): WaitingEvidence | undefined {
  if (attributes === undefined) return undefined;
  const total = count(attributes[ATTR_WAITING_COUNT]);
  const calls = strings(attributes[ATTR_WAITING_OPERATIONS], MAX_WAITING_OPERATIONS);
  if (total === undefined && calls.length === 0) return undefined;
  const durations = numbers(attributes[ATTR_WAITING_DURATIONS]);
  const peers = strings(attributes[ATTR_PROCESS_SOCKET_PEERS], MAX_SOCKET_PEERS);
  const peerCounts = numbers(attributes[ATTR_PROCESS_SOCKET_PEER_COUNTS]);
  return {
    count: Math.max(total ?? 0, calls.length),
    calls: calls.map((call, i) => ({
      call,
      ...(durations[i] === undefined ? {} : { openSeconds: formatSeconds(durations[i] as number) }),
    })),
    timers: count(attributes[ATTR_PROCESS_TIMERS]),
    sockets: count(attributes[ATTR_PROCESS_SOCKETS]),
    socketPeers: peers.map((address, i) => ({
      address,
      ...(peerCounts[i] === undefined ? {} : { sockets: peerCounts[i] as number }),
    })),
  };
}

/** `GET http://10.0.0.5:8080/rows (open 44s)`, and how many more, for a summary line. */
export function describeWaitingCalls(waiting: WaitingEvidence): string | undefined {
  const [first] = waiting.calls;
  if (first === undefined) return undefined;
  const open = first.openSeconds === undefined ? '' : ` (open ${first.openSeconds}s)`;
  const more = waiting.count - 1;
  return `\`${first.call}\`${open}${more > 0 ? ` and ${more} more call(s)` : ''}`;
}

/** The `host:port` of a call written as `METHOD scheme://host:port/path`. */
export function addressOfCall(call: string): string | undefined {
  return /^\S+\s+[a-z][a-z0-9+.-]*:\/\/([^/\s]+)/i.exec(call)?.[1];
}
