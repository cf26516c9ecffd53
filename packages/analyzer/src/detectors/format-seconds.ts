/** Seconds rounded for people and for evidence figures: one decimal below a minute, whole seconds above. */
export function formatSeconds(seconds: number): number {
  if (!Number.isFinite(seconds)) return 0;
  return seconds >= 60 ? Math.round(seconds) : Math.round(seconds * 10) / 10;
}
