import { createHash } from 'node:crypto';
import type { FindingType } from '@joblens/semconv';

/**
 * Stable id of a finding: the same problem (type + key) opened at the same instant always gets the same id,
 * and a problem that resolves and comes back later gets a new one.
 */
export function findingId(type: FindingType, key: string, firstSeen: number): string {
  const hash = createHash('sha1').update(`${type}\u0000${key}\u0000${firstSeen}`).digest('hex');
  return `${type}-${hash.slice(0, 12)}`;
}
