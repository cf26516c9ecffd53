import { describe, expect, it } from 'vitest';
import type { FindingDraft } from '../../src/detectors/finding-draft.js';
import { withWorkerProcess } from '../../src/findings/worker-process.js';
import type { AnalyzerView, WorkerView } from '../../src/model/analyzer-view.js';

function viewOf(workers: Array<Partial<WorkerView> & { worker: string }>): AnalyzerView {
  return { workerStates: () => workers as WorkerView[] } as unknown as AnalyzerView;
}

function draft(subject: FindingDraft['subject']): FindingDraft {
  return {
    type: 'event_loop_blocked',
    key: subject.worker ?? 'none',
    severity: 'warning',
    subject,
    summary: 's',
    nextStep: 'n',
    evidence: { figures: {}, traces: [] },
    since: 0,
  };
}

describe('findings about a worker', () => {
  it("get the worker's host and pid, whichever detector raised them", () => {
    const view = viewOf([{ worker: 'w-1', host: 'host-a', pid: 4242 }]);
    const [located] = withWorkerProcess([draft({ service: 's', worker: 'w-1' })], view);
    expect(located?.subject).toEqual({ service: 's', worker: 'w-1', host: 'host-a', pid: 4242 });
  });

  it('keep the host their detector named, and change nothing for findings not about a worker', () => {
    const view = viewOf([{ worker: 'w-1', host: 'host-a', pid: 4242 }]);
    const own = draft({ worker: 'w-1', host: 'named-by-detector' });
    const queueOnly = draft({ queue: 'q' });
    const [a, b] = withWorkerProcess([own, queueOnly], view);
    expect(a?.subject).toEqual({ worker: 'w-1', host: 'named-by-detector', pid: 4242 });
    expect(b).toBe(queueOnly);
  });

  it('stay as they are when the model no longer knows the worker', () => {
    const lost = draft({ worker: 'w-9' });
    expect(withWorkerProcess([lost], viewOf([]))[0]).toBe(lost);
  });
});
