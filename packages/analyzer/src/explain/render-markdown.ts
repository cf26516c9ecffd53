import { stripControlCharacters } from '@joblens/otlp-receiver';
import type { WaitingEvidence } from '../detectors/waiting-evidence.js';
import { evidenceStackOf } from '../findings/evidence-stack.js';
import type { Explanation } from './explanation.js';

/**
 * Upper bound of the Markdown text. Sections that do not fit are shortened or dropped with a note,
 * the least useful first (see `rank`).
 */
export const MAX_MARKDOWN_CHARS = 16_000;
/** No one section may take more than this, so a long story or attempt leaves room for the rest. */
const SECTION_MAX_CHARS = 4_000;
/** Room kept for the closing notes. */
const NOTES_RESERVE_CHARS = 200;

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
    ...(f.acknowledgedBy
      ? [`- **acknowledged** by ${inline(f.acknowledgedBy)} at ${iso(f.acknowledgedAt ?? 0)}`]
      : []),
    ...(f.snoozedUntil ? [`- **snoozed until** ${iso(f.snoozedUntil)}`] : []),
    `- **suggested next step** ${inline(f.nextStep)}`,
  ].join('\n');

  // Document order; `rank` says who gets room first when the account runs long: the evidence (trace
  // ids) and the latest attempt matter more to a reader than the oldest attempts or similar findings.
  const sections: Section[] = [
    { title: 'What happened', lines: e.story.map((s) => `- ${iso(s.at)} ${inline(s.what)}`), rank: 3 },
  ];
  for (const [i, a] of e.attempts.entries()) {
    const lines = [
      `- worker \`${inline(a.worker ?? '?')}\` on host \`${inline(a.host ?? '?')}\`, started ${iso(a.startedAt)}, ${a.durationSeconds === undefined ? 'still running' : `took ${a.durationSeconds} s`}, outcome **${a.outcome}**${a.errorType ? `, error \`${inline(a.errorType)}\`` : ''}`,
    ];
    if (a.errorMessage) lines.push(`- error message: ${inline(a.errorMessage)}`);
    for (const g of a.gaps)
      lines.push(
        `- silent gap of ${g.durationSeconds} s at +${g.offsetSeconds} s, between ${inline(g.between)}`,
      );
    if (a.steps.length > 0) {
      lines.push('', '| step | starts at (s) | duration (s) |', '|---|---|---|');
      for (const s of a.steps) {
        lines.push(
          `| ${cell(s.name)}${s.failed ? ' (failed)' : ''} | ${s.offsetSeconds} | ${s.durationSeconds ?? 'open'} |`,
        );
      }
    }
    const newest = i === e.attempts.length - 1;
    sections.push({ title: `Attempt ${a.attempt}`, lines, rank: newest ? 2 : 20 + e.attempts.length - i });
  }
  const figures = Object.entries(e.evidence.figures).map(([k, v]) => `- ${inline(k)}: ${inline(String(v))}`);
  const traces = e.evidence.traces.map(
    (t) => `- ${inline(t.label)}: trace \`${t.traceId}\`${t.spanId ? ` span \`${t.spanId}\`` : ''}`,
  );
  sections.push({ title: 'Evidence', lines: [...traces, ...figures], rank: 1 });
  const stack = evidenceStackOf(e.evidence);
  if (stack) {
    // Innermost frame first, as the watchdog took it while the loop was blocked.
    sections.push({
      title: 'Stack of the blocked loop',
      lines: stack.map((f) => `1. \`${inline(f)}\``),
      rank: 1,
    });
  }
  sections.push({ title: 'Waiting on', lines: waitingLines(e.evidence.detail?.waiting), rank: 1 });
  sections.push({ title: 'Attributes', lines: keyValues(e.attributes), rank: 6 });
  if (e.snapshot) sections.push({ title: 'Failure snapshot', lines: keyValues(e.snapshot), rank: 4 });
  if (e.dump) sections.push({ title: 'Dump', lines: keyValues(e.dump), rank: 5 });
  if (e.worker)
    sections.push({
      title: 'Worker',
      lines: keyValues(e.worker),
      rank: 7,
    });
  if (e.similar.length > 0) {
    sections.push({
      title: 'Similar findings',
      lines: e.similar.map(
        (s) => `- \`${s.id}\` ${s.status}: ${inline(s.summary)} (last seen ${iso(s.lastSeen)})`,
      ),
      rank: 8,
    });
  }

  let budget = MAX_MARKDOWN_CHARS - head.length - NOTES_RESERVE_CHARS;
  const rendered = new Map<Section, string>();
  let dropped = 0;
  let shortened = e.truncated;
  for (const s of sections.filter((s) => s.lines.length > 0).sort((a, b) => a.rank - b.rank)) {
    const text = fit(s, Math.min(budget, SECTION_MAX_CHARS) - 2);
    if (text === undefined) {
      dropped += 1;
      continue;
    }
    if (text.shortened) shortened = true;
    rendered.set(s, text.markdown);
    budget -= text.markdown.length + 2;
  }
  let out = [head, ...sections.flatMap((s) => rendered.get(s) ?? [])].join('\n\n');
  if (dropped > 0) out += `\n\n_${dropped} more section(s) left out to keep this account short._`;
  if (shortened) out += '\n\n_Some lists or texts were shortened._';
  return `${out}\n`;
}

interface Section {
  title: string;
  lines: string[];
  /** Lower ranks get room first. */
  rank: number;
}

/** The section in at most `maxChars`, its last lines replaced by a note when it is longer; undefined when not even its title and one line fit. */
function fit(s: Section, maxChars: number): { markdown: string; shortened: boolean } | undefined {
  const whole = section(s.title, s.lines);
  if (whole.length <= maxChars) return { markdown: whole, shortened: false };
  const note = (n: number) => `\n\n_${n} more line(s) left out._`;
  let length = `## ${s.title}\n\n`.length;
  let kept = 0;
  while (kept < s.lines.length) {
    const next = length + s.lines[kept].length + 1;
    if (next + note(s.lines.length).length > maxChars) break;
    length = next;
    kept += 1;
  }
  // A table cut right after its header would show an empty table: end before it instead.
  while (kept > 0 && /^(|\| step \|.*|\|---.*)$/.test(s.lines[kept - 1])) kept -= 1;
  if (kept === 0) return undefined;
  return {
    markdown: section(s.title, s.lines.slice(0, kept)) + note(s.lines.length - kept),
    shortened: true,
  };
}

/** A silent job's open calls and the process's sockets, from the finding's detail (already redacted). */
function waitingLines(detail: unknown): string[] {
  const waiting = detail as Partial<WaitingEvidence> | undefined;
  if (!waiting || typeof waiting !== 'object' || !Array.isArray(waiting.calls)) return [];
  const lines = waiting.calls.map(
    (c) => `- \`${inline(String(c.call))}\`${c.openSeconds === undefined ? '' : `, open ${c.openSeconds} s`}`,
  );
  if (lines.length === 0) lines.push('- no open HTTP call');
  const more = (waiting.count ?? 0) - waiting.calls.length;
  if (more > 0) lines.push(`- and ${more} more open call(s)`);
  const peers = Array.isArray(waiting.socketPeers) ? waiting.socketPeers : [];
  if (peers.length > 0) {
    const list = peers.map(
      (p) => `\`${inline(String(p.address))}\`${p.sockets === undefined ? '' : ` (${p.sockets})`}`,
    );
    lines.push(`- sockets to ${list.join(', ')}`);
  }
  if (typeof waiting.timers === 'number') lines.push(`- ${waiting.timers} open timer(s)`);
  return lines;
}

function section(title: string, lines: string[]): string {
  return lines.length === 0 ? '' : `## ${title}\n\n${lines.join('\n')}`;
}

/** Any object's fields, one line each (`object`: a WorkerRow has no index signature, and needs none here). */
function keyValues(record: object): string[] {
  return Object.entries(record)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `- ${inline(k)}: \`${inline(typeof v === 'string' ? v : JSON.stringify(v))}\``);
}

/**
 * Telemetry text on one line, without characters that would break out of inline code or a table, and
 * with HTML escaped: the Markdown is pasted into tickets and chat tools that render it, and a job name
 * such as `<script>` or `<img onerror>` must stay text there. Entities show as themselves inside code
 * spans; a rare `&lt;` in a code span is the price of one rule for all worker-supplied text. Control
 * characters go too (terminal escapes in a job name).
 */
function inline(text: string): string {
  return stripControlCharacters(text.replace(/[\r\n\t]+/g, ' '), { singleLine: true })
    .replace(/`/g, "'")
    .slice(0, 600)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');
}

function cell(text: string): string {
  return inline(text).replace(/\|/g, '\\|');
}

function iso(ms: number): string {
  return Number.isFinite(ms) ? new Date(ms).toISOString() : '?';
}
