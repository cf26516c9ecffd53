import type { JobKey } from '../history/history-store.js';

/** The job page's path; each part encoded, since job ids and queue names may hold `/` or `?`. */
export function jobHref(job: JobKey): string {
  return `/jobs/${encodeURIComponent(job.service)}/${encodeURIComponent(job.queue)}/${encodeURIComponent(job.jobId)}`;
}
