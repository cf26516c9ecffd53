/**
 * Undo steps run in reverse order of setup, each at most once and each isolated: a queue that cannot be
 * obliterated must not keep the workers alive or the temporary directory on disk.
 */
export class CleanupStack {
  private readonly steps: { name: string; run: () => Promise<unknown> | unknown }[] = [];
  readonly failures: string[] = [];

  push(name: string, run: () => Promise<unknown> | unknown): void {
    this.steps.push({ name, run });
  }

  async run(): Promise<void> {
    while (this.steps.length > 0) {
      const step = this.steps.pop()!;
      try {
        await step.run();
      } catch (error) {
        this.failures.push(`${step.name}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  }
}
