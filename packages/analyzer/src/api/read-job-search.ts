import { JOB_OUTCOMES, type JobOutcome } from '@joblens/semconv';
import type { JobSearch } from '../history/history-store.js';
import { BadQueryError } from './read-finding-filter.js';

/** Jobs a search returns unless it asks for fewer or more (up to {@link MAX_JOB_LIMIT}). */
const DEFAULT_JOB_LIMIT = 50;
const MAX_JOB_LIMIT = 500;
/** Longest text a filter takes: ids and names are short, and a filter is not a place to upload a file. */
const MAX_FILTER_CHARS = 500;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?(Z|[+-]\d{2}:?\d{2})?$/;

/**
 * Reads `GET /api/jobs`'s query (and the Jobs page's): `queue, name, id, worker, outcome, error, from,
 * to, limit, cursor`. A value that cannot be read throws a BadQueryError naming the parameter; unknown
 * parameters are ignored.
 */
export function readJobSearch(query: Record<string, unknown>): JobSearch {
  const search: JobSearch = { limit: DEFAULT_JOB_LIMIT };
  const queue = text(query, 'queue');
  if (queue !== undefined) search.queue = queue;
  const name = text(query, 'name');
  if (name !== undefined) search.name = name;
  const id = text(query, 'id');
  if (id !== undefined) search.id = id;
  const worker = text(query, 'worker');
  if (worker !== undefined) search.worker = worker;
  const error = text(query, 'error');
  if (error !== undefined) search.error = error;
  const cursor = text(query, 'cursor');
  if (cursor !== undefined) search.cursor = cursor;
  const outcome = text(query, 'outcome');
  if (outcome !== undefined) {
    if (!(JOB_OUTCOMES as readonly string[]).includes(outcome)) {
      throw new BadQueryError(
        `outcome must be one of ${JOB_OUTCOMES.join(', ')}, got ${JSON.stringify(outcome)}`,
      );
    }
    search.outcome = outcome as JobOutcome;
  }
  const from = time(query, 'from');
  if (from !== undefined) search.fromMs = from;
  const to = time(query, 'to');
  if (to !== undefined) search.toMs = to;
  const limit = text(query, 'limit');
  if (limit !== undefined) {
    const number = Number(limit);
    if (!/^\d+$/.test(limit) || number < 1 || number > MAX_JOB_LIMIT) {
      throw new BadQueryError(
        `limit must be an integer from 1 to ${MAX_JOB_LIMIT}, got ${JSON.stringify(limit)}`,
      );
    }
    search.limit = number;
  }
  return search;
}

/** The query string of a search, for the page's links (the next page keeps the filters). */
export function jobSearchQuery(search: JobSearch, cursor?: string): string {
  const params = new URLSearchParams();
  const set = (name: string, value: string | number | undefined) => {
    if (value !== undefined) params.set(name, String(value));
  };
  set('queue', search.queue);
  set('name', search.name);
  set('id', search.id);
  set('worker', search.worker);
  set('outcome', search.outcome);
  set('error', search.error);
  set('from', search.fromMs === undefined ? undefined : new Date(search.fromMs).toISOString());
  set('to', search.toMs === undefined ? undefined : new Date(search.toMs).toISOString());
  if (search.limit !== DEFAULT_JOB_LIMIT) set('limit', search.limit);
  set('cursor', cursor);
  return params.toString();
}

function text(query: Record<string, unknown>, name: string): string | undefined {
  const value = query[name];
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string') throw new BadQueryError(`${name} must be given once, as text`);
  if (value.length > MAX_FILTER_CHARS)
    throw new BadQueryError(`${name} must be at most ${MAX_FILTER_CHARS} characters, got ${value.length}`);
  return value;
}

/**
 * ISO-8601 (`2026-03-02T12:00:00Z`) or Unix milliseconds. A time without an offset is UTC, as a date
 * alone is: the analyzer's own time zone is nothing the person typing knows.
 */
function time(query: Record<string, unknown>, name: string): number | undefined {
  const value = text(query, name);
  if (value === undefined) return undefined;
  if (/^\d+$/.test(value)) {
    const ms = Number(value);
    if (Number.isSafeInteger(ms)) return ms;
  } else {
    const iso = ISO_DATE.exec(value);
    const ms = iso ? Date.parse(`${value.replace(' ', 'T')}${iso[1] && !iso[4] ? 'Z' : ''}`) : Number.NaN;
    if (Number.isFinite(ms)) return ms;
  }
  throw new BadQueryError(
    `${name} must be an ISO-8601 time (2026-03-02T12:00:00Z) or Unix milliseconds, got ${JSON.stringify(value)}`,
  );
}
