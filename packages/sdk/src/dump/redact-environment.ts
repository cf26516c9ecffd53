/** Environment variable names that usually hold credentials; their values never reach a dump file. */
const SECRET_NAME_PATTERN = /token|secret|password|passwd|key|auth|credential|cookie/i;

export const REDACTED = '[redacted]';

/** A copy of `env` with the value of every secret-looking variable replaced by {@link REDACTED}. */
export function redactEnvironment(env: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const redacted: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(env)) {
    redacted[name] = SECRET_NAME_PATTERN.test(name) ? REDACTED : value;
  }
  return redacted;
}

/** `--db-password=x` becomes `--db-password=[redacted]`; other arguments are kept as they are. */
export function redactArgument(argument: string): string {
  const at = argument.indexOf('=');
  if (at <= 0) return argument;
  return SECRET_NAME_PATTERN.test(argument.slice(0, at))
    ? `${argument.slice(0, at + 1)}${REDACTED}`
    : argument;
}
