import type { ObservedFinding } from './attribute-finding.js';
import { formatClock } from './format-finding.js';

/** The one line printed when a finding already shown changes severity: `[01:20] WARNING → CRITICAL silent_job …`. */
export function formatSeverityChange(
  finding: ObservedFinding,
  previousSeverity: string,
  elapsedSeconds: number,
): string {
  return (
    `[${formatClock(elapsedSeconds)}] ${previousSeverity.toUpperCase()} → ${finding.severity.toUpperCase()} ` +
    `${finding.type} (same finding ${finding.id}): ${finding.summary}`
  );
}
