/** Human forms of durations and times, for the page and for `explain`. */

export function formatSeconds(seconds: number): string {
  if (!Number.isFinite(seconds)) return '–';
  const abs = Math.abs(seconds);
  if (abs < 1) return `${Math.round(seconds * 1000)} ms`;
  if (abs < 60) return `${seconds.toFixed(abs < 10 ? 1 : 0)} s`;
  if (abs < 3600) return `${Math.floor(abs / 60)} min ${Math.round(abs % 60)} s`;
  return `${Math.floor(abs / 3600)} h ${Math.round((abs % 3600) / 60)} min`;
}

export function formatTime(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms)) return '–';
  return new Date(ms)
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d+Z$/, 'Z');
}

export function formatAge(ms: number | undefined, now: number): string {
  if (ms === undefined || !Number.isFinite(ms)) return '–';
  return `${formatSeconds((now - ms) / 1000)} ago`;
}
