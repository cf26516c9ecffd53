import { context, createContextKey, ROOT_CONTEXT } from '@opentelemetry/api';

const PROBE = ROOT_CONTEXT.setValue(createContextKey('joblens context manager probe'), true);
const isProbeActive = (): boolean => context.active() === PROBE;
/** Registering a context manager is a start-up matter: asking once a second is often enough. */
const RECHECK_MILLIS = 1000;

/**
 * Whether OpenTelemetry has a context manager registered. Without one, `context.with` runs the
 * function and nothing else, so an attempt's context need not be built for it on every job.
 */
export class ContextManagerProbe {
  #checkedAtMs = Number.NEGATIVE_INFINITY;
  #registered = false;

  registered(nowMs: number): boolean {
    if (nowMs - this.#checkedAtMs >= RECHECK_MILLIS || nowMs < this.#checkedAtMs) {
      this.#checkedAtMs = nowMs;
      this.#registered = context.with(PROBE, isProbeActive);
    }
    return this.#registered;
  }
}
