import type { SdkFeature } from '../sdk-feature.js';

/**
 * Writes a dump whenever the process receives `options.dumpSignal` (default SIGUSR2). Having a
 * listener is also what keeps the signal from ending the process, so the worker carries on.
 */
export const signalDumpFeature: SdkFeature = {
  name: 'signal-dump',
  start(ctx) {
    const signal = (ctx.options as { dumpSignal?: NodeJS.Signals | false }).dumpSignal;
    if (!signal) return { stop() {} };
    if (signal === 'SIGUSR1') {
      // Node starts the inspector on SIGUSR1; taking it over would break debugging in production.
      ctx.onError(
        new Error('joblens: option dumpSignal must not be SIGUSR1 (Node uses it for the inspector)'),
      );
      return { stop() {} };
    }
    const onSignal = () => {
      // The trigger is the signal's name (`SIGUSR2`), as the dump log record documents.
      void ctx.dump(signal);
    };
    process.on(signal, onSignal);
    return {
      stop() {
        process.off(signal, onSignal);
      },
    };
  },
};
