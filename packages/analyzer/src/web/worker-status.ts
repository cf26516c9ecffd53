import type { Finding } from '../findings/finding.js';
import type { WorkerRow } from '../findings/finding-sources.js';
import { compareFindingsForReading } from './finding-order.js';

export interface WorkerStatus {
  /** One or two words: `stuck`, `gone`, `loop blocked`, `job silent`, `stopped`, `running`, `idle`. */
  label: string;
  tone: 'ok' | 'stopped' | 'problem';
  /** The finding behind a problem, to link to. */
  findingId?: string;
}

/**
 * What the workers page says of a worker: the open finding about it, if any (the most severe), else
 * whether it holds jobs. Read from the findings, so the page never calls healthy a worker a finding calls
 * stuck: its heartbeats alone would (a stuck worker goes on sending them).
 */
export function workerStatus(worker: WorkerRow, openFindings: readonly Finding[]): WorkerStatus {
  const worst = openFindings
    .filter((finding) => finding.status === 'open' && finding.subject.worker === worker.worker)
    .sort(compareFindingsForReading)[0];
  if (worst !== undefined) return { label: problemLabel(worst), tone: 'problem', findingId: worst.id };
  if (worker.stoppedMs !== undefined) return { label: 'stopped', tone: 'stopped' };
  return { label: worker.activeJobs > 0 ? 'running' : 'idle', tone: 'ok' };
}

function problemLabel(finding: Finding): string {
  switch (finding.type) {
    case 'silent_worker':
      // The detector's key says which of its two cases holds: `gone|<worker>` or `stuck|<worker>`.
      return finding.key.split('|')[0] || 'silent';
    case 'event_loop_blocked':
      return 'loop blocked';
    case 'silent_job':
      return 'job silent';
    default:
      return finding.type.replaceAll('_', ' ');
  }
}
