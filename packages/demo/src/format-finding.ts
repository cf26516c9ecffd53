import type { ObservedFinding } from './attribute-finding.js';
import type { LedgerEntry } from './fault-ledger.js';

/** The lines printed when a finding first appears: what, where, evidence, trace, next step. */
export function formatFinding(entry: LedgerEntry, elapsedSeconds: number): string[] {
  const { finding } = entry;
  const verdict =
    entry.kind === 'false'
      ? 'FALSE FINDING: no injected fault explains it'
      : `${entry.kind === 'expected' ? 'found' : 'also from'} fault '${entry.fault.id}'` +
        (entry.latencySeconds === undefined ? '' : ` after ${entry.latencySeconds.toFixed(1)} s`);
  const lines = [
    `[${formatClock(elapsedSeconds)}] ${finding.severity.toUpperCase()} ${finding.type}: ${finding.summary}`,
    `         where:    ${formatSubject(finding)}`,
  ];
  const figures = formatFigures(finding.evidence?.figures ?? {});
  if (figures) lines.push(`         evidence: ${figures}`);
  const trace = finding.evidence?.traces?.[0];
  if (trace)
    lines.push(
      `         trace:    ${trace.traceId}${trace.spanId ? ` span ${trace.spanId}` : ''} (${trace.label})`,
    );
  lines.push(`         next:     ${finding.nextStep}`);
  lines.push(`         ${verdict}`);
  return lines;
}

export function formatSubject(finding: ObservedFinding): string {
  const subject = finding.subject ?? {};
  const parts = (['service', 'queue', 'jobName', 'jobId', 'worker', 'host', 'monitor'] as const)
    .filter((key) => subject[key] !== undefined && subject[key] !== '')
    .map((key) => `${key}=${subject[key]}`);
  return parts.length > 0 ? parts.join(' ') : '(no subject)';
}

function formatFigures(figures: Record<string, unknown>): string {
  return Object.entries(figures)
    .slice(0, 6)
    .map(([key, value]) => `${key}=${typeof value === 'number' ? round(value) : String(value)}`)
    .join(' ');
}

function round(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(2);
}

/** `m:ss` since the demo started. */
export function formatClock(elapsedSeconds: number): string {
  const whole = Math.max(0, Math.floor(elapsedSeconds));
  return `${Math.floor(whole / 60)}:${String(whole % 60).padStart(2, '0')}`;
}
