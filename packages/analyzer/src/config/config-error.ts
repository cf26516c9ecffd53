/** A configuration mistake: the message names the field, what was expected and what was given. */
export class ConfigError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(`config: ${message}`, options);
    this.name = 'ConfigError';
  }
}

/** How a given value reads in an error message: strings quoted, the rest as JSON. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (typeof value === 'string') return JSON.stringify(value);
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
