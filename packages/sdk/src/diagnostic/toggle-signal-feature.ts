import type { SdkFeature } from '../sdk-feature.js';

/** Flips diagnostic mode each time the process receives `diagnostic.toggleSignal` (off by default). */
export const toggleSignalFeature: SdkFeature = {
  name: 'diagnostic-toggle-signal',
  start(ctx) {
    const signal = ctx.options.diagnostic.toggleSignal;
    if (!signal) return { stop() {} };
    if (signal === 'SIGUSR1' || signal === ctx.options.dumpSignal) {
      // SIGUSR1 is Node's inspector; sharing the dump signal would make one signal do two things.
      ctx.onError(
        new Error(
          `joblens: option diagnostic.toggleSignal must differ from SIGUSR1 and from dumpSignal, got ${JSON.stringify(signal)}`,
        ),
      );
      return { stop() {} };
    }
    const onSignal = () => {
      try {
        ctx.setDiagnosticMode(!ctx.isDiagnostic());
      } catch (cause) {
        ctx.onError(new Error(`toggling diagnostic mode on ${signal}`, { cause }));
      }
    };
    process.on(signal, onSignal);
    return {
      stop() {
        process.off(signal, onSignal);
      },
    };
  },
};
