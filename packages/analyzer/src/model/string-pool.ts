/**
 * Shares one copy of strings that repeat across records (step names, queues, job names): the decoder
 * makes a fresh string for every record, and at 100k retained attempts the copies add up. Bounded: once
 * full, new strings pass through unshared.
 */
export class StringPool {
  private readonly strings = new Map<string, string>();

  constructor(private readonly maxStrings: number) {}

  intern(value: string): string {
    const shared = this.strings.get(value);
    if (shared !== undefined) return shared;
    if (this.strings.size < this.maxStrings) this.strings.set(value, value);
    return value;
  }
}
