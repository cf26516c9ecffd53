/** Diagnostic mode of one SDK instance; `onChange` runs only when the mode actually flips. */
export class DiagnosticMode {
  #on: boolean;
  readonly #onChange: (on: boolean) => void;

  constructor(initial: boolean, onChange: (on: boolean) => void) {
    this.#on = initial;
    this.#onChange = onChange;
  }

  get on(): boolean {
    return this.#on;
  }

  set(on: boolean): void {
    const next = Boolean(on);
    if (next === this.#on) return;
    this.#on = next;
    this.#onChange(next);
  }
}
