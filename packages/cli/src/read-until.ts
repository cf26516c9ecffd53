import { CliError } from './cli-error.js';

const UNIT_MILLIS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000 };

/**
 * `--until` of `joblens snooze`: an ISO time (`2026-01-01T09:00:00Z`) or a duration from now (`30m`,
 * `2h`, `1d`, `1.5h`). Returns the ISO time to send; a bad value is one line naming the flag.
 */
export function readUntil(value: string | undefined, now: number): string {
  if (value === undefined) throw new CliError('--until is required: an ISO time or a duration like 2h', 2);
  const duration = /^(\d+(?:\.\d+)?)([mhd])$/.exec(value.trim());
  if (duration) {
    const millis = Number(duration[1]) * UNIT_MILLIS[duration[2]];
    if (millis > 0) return new Date(now + millis).toISOString();
  }
  const at = /^\d{4}-\d\d-\d\dT/.test(value) ? Date.parse(value) : Number.NaN;
  if (Number.isFinite(at)) {
    // Said here, naming the flag: the analyzer would refuse it too, naming its own body field.
    if (at <= now)
      throw new CliError(
        `--until must be a time after now (${new Date(now).toISOString()}), got ${JSON.stringify(value)}`,
        2,
      );
    return new Date(at).toISOString();
  }
  throw new CliError(
    `--until must be an ISO time (2026-01-01T09:00:00Z) or a duration like 30m, 2h or 1d, got ${JSON.stringify(value)}`,
    2,
  );
}
