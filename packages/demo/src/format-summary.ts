import type { FaultLedger } from './fault-ledger.js';
import { formatSubject } from './format-finding.js';

/**
 * The closing table: each injected fault against the finding that found it, by finding type
 * identifier, with the detection latency (fault injection to first detection); then false findings.
 */
export function formatSummary(ledger: FaultLedger): string[] {
  const header = ['fault', 'expected finding', 'result', 'latency', 'finding id'];
  const body = ledger
    .rows()
    .map((row) => [
      row.fault.id,
      row.fault.findingType,
      row.detection ? 'FOUND' : row.injectedAtMs === undefined ? 'NOT INJECTED' : 'MISSED',
      row.detection ? `${row.detection.latencySeconds.toFixed(1)} s` : '-',
      row.detection ? row.detection.finding.id : '-',
    ]);
  const widths = header.map((title, column) =>
    Math.max(title.length, ...body.map((cells) => cells[column].length)),
  );
  const render = (cells: string[]) =>
    cells
      .map((cell, column) => cell.padEnd(widths[column]))
      .join('  ')
      .trimEnd();
  const lines = [render(header), render(widths.map((width) => '-'.repeat(width))), ...body.map(render)];
  const related = ledger.rows().flatMap((row) => row.related.map((finding) => ({ row, finding })));
  for (const { row, finding } of related) {
    lines.push(`also from '${row.fault.id}': ${finding.type} (${finding.id})`);
  }
  const falseFindings = ledger.falseFindings();
  lines.push('');
  lines.push(
    falseFindings.length === 0
      ? `${ledger.foundCount()}/${ledger.rows().length} faults found, no false findings`
      : `${ledger.foundCount()}/${ledger.rows().length} faults found, ${falseFindings.length} false finding(s):`,
  );
  for (const finding of falseFindings) {
    lines.push(`  ${finding.type} ${finding.id}: ${formatSubject(finding)}: ${finding.summary}`);
  }
  return lines;
}
