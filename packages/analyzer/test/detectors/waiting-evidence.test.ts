import {
  ATTR_PROCESS_SOCKET_PEER_COUNTS,
  ATTR_PROCESS_SOCKET_PEERS,
  ATTR_WAITING_COUNT,
  ATTR_WAITING_DURATIONS,
  ATTR_WAITING_OPERATIONS,
} from '@joblens/semconv';
import { describe, expect, it } from 'vitest';
import {
  addressOfCall,
  describeWaitingCalls,
  readWaitingEvidence,
} from '../../src/detectors/waiting-evidence.js';

describe('reading what a silent attempt waits on', () => {
  it('pairs each call with how long it has been open, and each socket peer with its count', () => {
    const waiting = readWaitingEvidence({
      [ATTR_WAITING_COUNT]: 3,
      [ATTR_WAITING_OPERATIONS]: ['GET http://10.0.0.5:8080/rows', 'POST https://api:443/v1'],
      [ATTR_WAITING_DURATIONS]: [44.04, 2],
      [ATTR_PROCESS_SOCKET_PEERS]: ['10.0.0.5:8080', '127.0.0.1:6379'],
      [ATTR_PROCESS_SOCKET_PEER_COUNTS]: [1, 2],
    });
    expect(waiting?.calls).toEqual([
      { call: 'GET http://10.0.0.5:8080/rows', openSeconds: 44 },
      { call: 'POST https://api:443/v1', openSeconds: 2 },
    ]);
    expect(waiting?.socketPeers).toEqual([
      { address: '10.0.0.5:8080', sockets: 1 },
      { address: '127.0.0.1:6379', sockets: 2 },
    ]);
    expect(describeWaitingCalls(waiting!)).toBe(
      '`GET http://10.0.0.5:8080/rows` (open 44s) and 2 more call(s)',
    );
  });

  it('removes credentials, query strings and fragments another sender left in a call', () => {
    const waiting = readWaitingEvidence({
      [ATTR_WAITING_OPERATIONS]: ['GET https://user:hunter2@db.example:443/rows?password=x#frag'],
    });
    expect(waiting?.calls[0]?.call).toBe('GET https://db.example:443/rows');
    expect(waiting?.count).toBe(1);
  });

  it('says nothing for a record without waiting attributes, and skips values of the wrong type', () => {
    expect(readWaitingEvidence({ other: 1 })).toBeUndefined();
    expect(readWaitingEvidence(undefined)).toBeUndefined();
    const waiting = readWaitingEvidence({ [ATTR_WAITING_COUNT]: 0, [ATTR_WAITING_OPERATIONS]: 'not a list' });
    expect(waiting).toMatchObject({ count: 0, calls: [], socketPeers: [] });
    expect(describeWaitingCalls(waiting!)).toBeUndefined();
  });

  it('finds the host:port of a call', () => {
    expect(addressOfCall('GET http://10.0.0.5:8080/rows')).toBe('10.0.0.5:8080');
    expect(addressOfCall('nonsense')).toBeUndefined();
  });
});
