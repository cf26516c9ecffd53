import type { Logger } from '../log/logger.js';

/**
 * Whether the finding store works, as the last read or save found it. A failing store is told once, makes
 * the analyzer refuse telemetry (back pressure, /healthz), and is told again when it works again.
 */
export class StoreHealth {
  #error: Error | undefined;

  constructor(private readonly logger: Logger) {}

  /** The failure of the last attempt, or undefined while the store works. */
  get error(): Error | undefined {
    return this.#error;
  }

  failed(error: unknown): void {
    if (!this.#error) this.logger.error('the finding store fails; refusing telemetry until it works', error);
    this.#error = error instanceof Error ? error : new Error(String(error));
  }

  worked(): void {
    if (this.#error) this.logger.info('the finding store works again');
    this.#error = undefined;
  }
}
