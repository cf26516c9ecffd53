import type { FindingDraft } from '../detectors/finding-draft.js';
import type { AnalyzerView, WorkerView } from '../model/analyzer-view.js';

/**
 * Gives every draft about a worker that worker's host and pid, whichever detector raised it: a person
 * reading any such finding needs both to look inside the process (`joblens dump <pid>` on that host).
 * A detector's own host stays; the pid is always the model's latest.
 */
export function withWorkerProcess(drafts: FindingDraft[], view: AnalyzerView): FindingDraft[] {
  if (!drafts.some((draft) => draft.subject.worker !== undefined)) return drafts;
  const workers = new Map<string, WorkerView>();
  for (const state of view.workerStates()) workers.set(state.worker, state);
  return drafts.map((draft) => {
    const worker = draft.subject.worker === undefined ? undefined : workers.get(draft.subject.worker);
    if (worker === undefined) return draft;
    const host = draft.subject.host ?? (worker.host || undefined);
    const pid = worker.pid ?? draft.subject.pid;
    if (host === draft.subject.host && pid === draft.subject.pid) return draft;
    return { ...draft, subject: { ...draft.subject, host, pid } };
  });
}
