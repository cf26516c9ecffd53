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
import type { Attributes } from '@opentelemetry/api';
import { summarizeOpenHandles } from './open-handles.js';
import type { OutboundOperations } from './outbound-operations.js';

/**
 * What a silent attempt waits on, added to its `still running` record: its open outbound calls (none
 * is a finding too: the job waits on something the SDK does not follow) and the process's open
 * sockets and timers. Writes into `attributes`.
 */
export function addWaitingAttributes(
  attributes: Attributes,
  calls: OutboundOperations | undefined,
  nowMs: number,
): void {
  const summary = calls?.summary(nowMs, MAX_WAITING_OPERATIONS);
  attributes[ATTR_WAITING_COUNT] = summary?.count ?? 0;
  if (summary && summary.operations.length > 0) {
    attributes[ATTR_WAITING_OPERATIONS] = summary.operations.map((operation) => operation.description);
    attributes[ATTR_WAITING_DURATIONS] = summary.operations.map((operation) => operation.openSeconds);
  }
  const handles = summarizeOpenHandles(MAX_SOCKET_PEERS);
  attributes[ATTR_PROCESS_TIMERS] = handles.timers;
  attributes[ATTR_PROCESS_SOCKETS] = handles.sockets;
  if (handles.peers.length > 0) {
    attributes[ATTR_PROCESS_SOCKET_PEERS] = handles.peers.map((peer) => peer.address);
    attributes[ATTR_PROCESS_SOCKET_PEER_COUNTS] = handles.peers.map((peer) => peer.sockets);
  }
}
