import type { JobSearch } from './history-store.js';
import { decodeJobCursor } from './job-cursor.js';

/** Jobs per page when the search names no limit. */
const DEFAULT_JOB_PAGE_LIMIT = 50;
/** The most jobs one page may hold, so that one request cannot read the whole history. */
const MAX_JOB_PAGE_LIMIT = 500;

/** The page size a search asks for, brought into 1..MAX_JOB_PAGE_LIMIT. */
function jobPageLimit(limit: number | undefined): number {
  if (limit === undefined || !Number.isFinite(limit)) return DEFAULT_JOB_PAGE_LIMIT;
  return Math.min(MAX_JOB_PAGE_LIMIT, Math.max(1, Math.floor(limit)));
}

/** `%text%` for LIKE with `\` as the escape character, so that `%` and `_` in the text match themselves. */
function likeSubstring(text: string): string {
  return `%${text.replace(/[\\%_]/g, '\\$&')}%`;
}

/**
 * The condition that marks a job whose latest attempt carried an error. Written once, because SQLite uses
 * the partial index of errored jobs only when the query repeats the index's condition word for word.
 */
export const HAS_LATEST_ERROR = '(last_error_type IS NOT NULL OR last_error_message IS NOT NULL)';

export interface JobSearchSql {
  /** `WHERE …` (or empty) over the jobs table, then `ORDER BY` newest first and `LIMIT`. */
  clauses: string;
  params: unknown[];
  limit: number;
}

/**
 * The WHERE, ORDER BY and LIMIT of a job search, shared by the SQLite and PostgreSQL stores, which name
 * their columns alike. `placeholder(n)` writes the n-th (1-based) parameter; `ilike` is the dialect's
 * case-insensitive LIKE (SQLite's LIKE already ignores ASCII case). One more row than the page is asked
 * for, to know whether another page follows.
 */
export function jobSearchSql(
  search: JobSearch,
  placeholder: (n: number) => string,
  ilike: 'LIKE' | 'ILIKE',
): JobSearchSql {
  const terms: string[] = [];
  const params: unknown[] = [];
  const param = (value: unknown): string => {
    params.push(value);
    return placeholder(params.length);
  };
  if (search.id !== undefined) terms.push(`job_id = ${param(search.id)}`);
  if (search.name !== undefined) terms.push(`job_name = ${param(search.name)}`);
  if (search.queue !== undefined) terms.push(`queue = ${param(search.queue)}`);
  if (search.worker !== undefined) terms.push(`last_worker = ${param(search.worker)}`);
  if (search.outcome !== undefined) terms.push(`last_outcome = ${param(search.outcome)}`);
  if (search.error !== undefined && search.error !== '') {
    const pattern = likeSubstring(search.error);
    terms.push(HAS_LATEST_ERROR);
    terms.push(
      `(last_error_type ${ilike} ${param(pattern)} ESCAPE '\\' OR last_error_message ${ilike} ${param(pattern)} ESCAPE '\\')`,
    );
  }
  if (search.fromMs !== undefined) terms.push(`last_end_ms >= ${param(search.fromMs)}`);
  if (search.toMs !== undefined) terms.push(`last_end_ms < ${param(search.toMs)}`);
  if (search.cursor !== undefined) {
    const after = decodeJobCursor(search.cursor);
    terms.push(`(last_end_ms, pk) < (${param(after.lastEndMs)}, ${param(after.key)})`);
  }
  const limit = jobPageLimit(search.limit);
  const where = terms.length > 0 ? `WHERE ${terms.join(' AND ')} ` : '';
  return {
    clauses: `${where}ORDER BY last_end_ms DESC, pk DESC LIMIT ${param(limit + 1)}`,
    params,
    limit,
  };
}
