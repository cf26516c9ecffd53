import { FINDING_TYPES } from '@joblens/semconv';
import type { FindingFilter } from '../findings/finding.js';

/** Findings a list request returns unless it asks for fewer or more (up to {@link MAX_LIST_LIMIT}). */
const DEFAULT_LIST_LIMIT = 100;
const MAX_LIST_LIMIT = 1000;

/** A query parameter that cannot be read, with the message the client gets in a 400. */
export class BadQueryError extends Error {}

/** Reads `type, status, service, queue, worker, limit` from a query string; anything else is ignored. */
export function readFindingFilter(query: Record<string, unknown>): FindingFilter {
  const filter: FindingFilter = { limit: DEFAULT_LIST_LIMIT };
  const type = single(query, 'type');
  if (type !== undefined) {
    if (!(FINDING_TYPES as readonly string[]).includes(type)) {
      throw new BadQueryError(`type must be one of ${FINDING_TYPES.join(', ')}, got ${JSON.stringify(type)}`);
    }
    filter.type = type;
  }
  const status = single(query, 'status');
  if (status !== undefined) {
    if (status !== 'open' && status !== 'resolved') {
      throw new BadQueryError(`status must be open or resolved, got ${JSON.stringify(status)}`);
    }
    filter.status = status;
  }
  for (const name of ['service', 'queue', 'worker'] as const) {
    const value = single(query, name);
    if (value !== undefined) filter[name] = value;
  }
  const limit = single(query, 'limit');
  if (limit !== undefined) {
    const number = Number(limit);
    if (!/^\d+$/.test(limit) || number < 1 || number > MAX_LIST_LIMIT) {
      throw new BadQueryError(
        `limit must be an integer from 1 to ${MAX_LIST_LIMIT}, got ${JSON.stringify(limit)}`,
      );
    }
    filter.limit = number;
  }
  return filter;
}

function single(query: Record<string, unknown>, name: string): string | undefined {
  const value = query[name];
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string') throw new BadQueryError(`${name} must be given once, as text`);
  return value;
}
