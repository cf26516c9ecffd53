/** What ended the demo early: a signal from the person, or the caller's `AbortSignal`. */
type InterruptReason = NodeJS.Signals | 'aborted';

export interface InterruptSignal {
  /** Resolves when the person presses Ctrl-C (or the process gets SIGTERM), or the caller aborts. */
  readonly promise: Promise<InterruptReason>;
  readonly received: InterruptReason | undefined;
  dispose(): void;
}

/**
 * Turns SIGINT and SIGTERM (and an abort of `abortSignal`, for a caller running the demo from code) into
 * a promise, so the demo cleans up (workers, queues, temp files) instead of dying with children left
 * behind. A second Ctrl-C still ends the process at once.
 */
export function listenForInterrupt(abortSignal?: AbortSignal): InterruptSignal {
  let received: InterruptReason | undefined;
  let resolve!: (reason: InterruptReason) => void;
  const promise = new Promise<InterruptReason>((done) => {
    resolve = done;
  });
  const onSignal = (signal: NodeJS.Signals) => {
    if (received) process.exit(128 + (signal === 'SIGINT' ? 2 : 15));
    received = signal;
    resolve(signal);
  };
  const onAbort = () => {
    received ??= 'aborted';
    resolve(received);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  if (abortSignal?.aborted) onAbort();
  else abortSignal?.addEventListener('abort', onAbort, { once: true });
  return {
    promise,
    get received() {
      return received;
    },
    dispose() {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      abortSignal?.removeEventListener('abort', onAbort);
    },
  };
}
