export interface InterruptSignal {
  /** Resolves when the person presses Ctrl-C (or the process gets SIGTERM). */
  readonly promise: Promise<NodeJS.Signals>;
  readonly received: NodeJS.Signals | undefined;
  dispose(): void;
}

/**
 * Turns SIGINT and SIGTERM into a promise, so the demo cleans up (workers, queues, temp files) instead
 * of dying with children left behind. A second Ctrl-C still ends the process at once.
 */
export function listenForInterrupt(): InterruptSignal {
  let received: NodeJS.Signals | undefined;
  let resolve!: (signal: NodeJS.Signals) => void;
  const promise = new Promise<NodeJS.Signals>((done) => {
    resolve = done;
  });
  const onSignal = (signal: NodeJS.Signals) => {
    if (received) process.exit(128 + (signal === 'SIGINT' ? 2 : 15));
    received = signal;
    resolve(signal);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    promise,
    get received() {
      return received;
    },
    dispose() {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}
