import type { ObservedFinding } from './attribute-finding.js';
import type { LedgerEntry } from './fault-ledger.js';

/** Where a printed finding can be looked at: the analyzer's page, and Jaeger when one is configured. */
export interface FindingLinks {
  /** The analyzer's page, e.g. `http://127.0.0.1:4320`. */
  pageUrl: string;
  jaegerUrl?: string;
}

/** The lines printed when a finding first appears: what, where, evidence, trace, next step. */
export function formatFinding(entry: LedgerEntry, elapsedSeconds: number, links?: FindingLinks): string[] {
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
  if (links) lines.push(`         see:      ${whereToLook(finding, links)}`);
  lines.push(`         next:     ${links ? pointTracesAtViewer(finding, links) : finding.nextStep}`);
  lines.push(`         ${verdict}`);
  return lines;
}

/** The finding on the page, or its trace in Jaeger when there is one to open it in. */
function whereToLook(finding: ObservedFinding, links: FindingLinks): string {
  const trace = finding.evidence?.traces?.[0];
  if (trace && links.jaegerUrl) return `${links.jaegerUrl.replace(/\/$/, '')}/trace/${trace.traceId}`;
  return findingPageUrl(finding, links, trace !== undefined);
}

function findingPageUrl(finding: ObservedFinding, links: FindingLinks, timeline: boolean): string {
  const page = `${links.pageUrl.replace(/\/$/, '')}/findings/${encodeURIComponent(finding.id)}`;
  return timeline ? `${page}#timeline` : page;
}

/**
 * Detectors say "Open trace <id>", which only helps with a trace viewer at hand. Without Jaeger the same
 * attempt is drawn on the finding's page, so the next step sends the reader there instead.
 */
function pointTracesAtViewer(finding: ObservedFinding, links: FindingLinks): string {
  if (links.jaegerUrl) return finding.nextStep;
  return finding.nextStep.replace(
    /\b(?:the latest attempt's )?trace [0-9a-f]{32}\b/g,
    `the job timeline at ${findingPageUrl(finding, links, true)}`,
  );
}

export function formatSubject(finding: ObservedFinding): string {
  const subject = finding.subject ?? {};
  const parts = (['service', 'queue', 'jobName', 'jobId', 'worker', 'host', 'pid', 'monitor'] as const)
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
