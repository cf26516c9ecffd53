import type { Explanation } from './explanation.js';

/** Upper bound of the Markdown text; sections past it are dropped with a note. */
export const MAX_MARKDOWN_CHARS = 16_000;

export function renderExplanationMarkdown(e: Explanation): string {
  const f = e.finding;
  const subject = Object.entries(f.subject)
    .filter(([, v]) => v !== undefined && v !== '')
    .map(([k, v]) => `${k} \`${inline(String(v))}\``)
    .join(', ');
  const head = [
    `# ${f.type}: ${inline(f.summary)}`,
    '',
    `- **finding** \`${f.id}\` · ${f.severity} · ${f.status}`,
    `- **subject** ${subject || '–'}`,
    `- **first seen** ${iso(f.firstSeen)} · **last seen** ${iso(f.lastSeen)}${f.resolvedAt ? ` · **resolved** ${iso(f.resolvedAt)}` : ''}`,
    `- **suggested next step** ${inline(f.nextStep)}`,
  ].join('\n');

  const sections: string[] = [head];
  sections.push(
    section(
      'What happened',
      e.story.map((s) => `- ${iso(s.at)} ${inline(s.what)}`),
    ),
  );
  for (const a of e.attempts) {
    const lines = [
      `- worker \`${inline(a.worker ?? '?')}\` on host \`${inline(a.host ?? '?')}\`, started ${iso(a.startedAt)}, ${a.durationSeconds === undefined ? 'still running' : `took ${a.durationSeconds} s`}, outcome **${a.outcome}**${a.errorType ? `, error \`${inline(a.errorType)}\`` : ''}`,
    ];
    if (a.errorMessage) lines.push(`- error message: ${inline(a.errorMessage)}`);
    if (a.steps.length > 0) {
      lines.push('', '| step | starts at (s) | duration (s) |', '|---|---|---|');
      for (const s of a.steps) {
        lines.push(
          `| ${cell(s.name)}${s.failed ? ' (failed)' : ''} | ${s.offsetSeconds} | ${s.durationSeconds ?? 'open'} |`,
        );
      }
    }
    for (const g of a.gaps)
      lines.push(
        `- silent gap of ${g.durationSeconds} s at +${g.offsetSeconds} s, between ${inline(g.between)}`,
      );
    sections.push(section(`Attempt ${a.attempt}`, lines));
  }
  const figures = Object.entries(e.evidence.figures).map(([k, v]) => `- ${inline(k)}: ${inline(String(v))}`);
  const traces = e.evidence.traces.map(
    (t) => `- ${inline(t.label)}: trace \`${t.traceId}\`${t.spanId ? ` span \`${t.spanId}\`` : ''}`,
  );
  sections.push(section('Evidence', [...figures, ...traces]));
  sections.push(section('Attributes', keyValues(e.attributes)));
  if (e.snapshot) sections.push(section('Failure snapshot', keyValues(e.snapshot)));
  if (e.dump) sections.push(section('Dump', keyValues(e.dump)));
  if (e.worker) sections.push(section('Worker', keyValues(e.worker as unknown as Record<string, unknown>)));
  if (e.similar.length > 0) {
    sections.push(
      section(
        'Similar findings',
        e.similar.map(
          (s) => `- \`${s.id}\` ${s.status}: ${inline(s.summary)} (last seen ${iso(s.lastSeen)})`,
        ),
      ),
    );
  }

  let out = '';
  for (const [i, s] of sections.entries()) {
    if (!s) continue;
    if (out.length + s.length > MAX_MARKDOWN_CHARS) {
      out += `\n\n_${sections.length - i} more section(s) left out to keep this account short._\n`;
      return out;
    }
    out += (out ? '\n\n' : '') + s;
  }
  if (e.truncated) out += '\n\n_Some lists or texts were shortened._';
  return `${out}\n`;
}

function section(title: string, lines: string[]): string {
  return lines.length === 0 ? '' : `## ${title}\n\n${lines.join('\n')}`;
}

function keyValues(record: Record<string, unknown>): string[] {
  return Object.entries(record)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `- ${inline(k)}: \`${inline(typeof v === 'string' ? v : JSON.stringify(v))}\``);
}

/** Telemetry text on one line, without characters that would break out of inline code or a table. */
function inline(text: string): string {
  return text
    .replace(/[\r\n]+/g, ' ')
    .replace(/`/g, "'")
    .slice(0, 600);
}

function cell(text: string): string {
  return inline(text).replace(/\|/g, '\\|');
}

function iso(ms: number): string {
  return Number.isFinite(ms) ? new Date(ms).toISOString() : '?';
}
