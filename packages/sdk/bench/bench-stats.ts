/** Small statistics for the SDK's benchmarks: medians over interleaved rounds. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** One `name: value` figure on stdout (the only thing benches print there). */
export function printFigure(name: string, value: number, digits = 3): void {
  process.stdout.write(`${name}: ${value.toFixed(digits)}\n`);
}

/** Progress for people, on stderr. */
export function progress(text: string): void {
  process.stderr.write(`${text}\n`);
}
