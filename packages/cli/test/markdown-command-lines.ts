import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/** A `joblens …` command line as a Markdown file shows it, in a shell code block or in inline code. */
export interface DocCommandLine {
  /** Where it is, as `path:line` relative to the repository root. */
  where: string;
  text: string;
  /** The word after `joblens`: a command name, or a placeholder such as `<command>`. */
  command: string;
  args: string[];
}

/** A flag shown on its own in inline code (`--otlp-port`, `--duration <s>`), not as part of a command line. */
export interface DocBareFlag {
  where: string;
  /** The inline code split into words: the flag, then its value placeholder if one is shown. */
  words: string[];
  /** The command named in the same table row (`| \`joblens findings\` | lists … (\`--type\`) |`), if any. */
  rowCommand?: string;
}

export interface DocCommandLines {
  files: string[];
  commandLines: DocCommandLine[];
  bareFlags: DocBareFlag[];
}

const SHELL_FENCES = new Set(['', 'sh', 'bash', 'shell', 'console', 'zsh']);

/**
 * `joblens` where a command starts: at the start of a line, after `&&`, `||`, `;`, `|`, `(`, after
 * `npx [-y]` or `… exec` (`npx joblens`, `pnpm exec joblens`, `npx -y pnpm@9.15.9 exec joblens`), with any
 * `NAME=value` variables before it. `@joblens/sdk`, `joblens_…` or `joblens.db` do not match.
 */
const COMMAND_START =
  /(?:^|&&|\|\||[;|(]|\bexec|\bnpx(?:\s+-y)?)\s*(?:[A-Za-z_][A-Za-z0-9_]*=\S*\s+)*joblens(?=\s|$)/g;

/** Every Markdown file of the repository (README.md, docs/, packages/**), skipping dependencies and builds. */
export function listMarkdownFiles(root: string): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.name.startsWith('.') || entry.name === 'node_modules' || entry.name === 'dist') continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.md')) found.push(relative(root, path));
    }
  };
  walk(root);
  return found.sort();
}

/** Collects the command lines and bare flags of every Markdown file under `root`. */
export function collectDocCommandLines(root: string): DocCommandLines {
  const files = listMarkdownFiles(root);
  const commandLines: DocCommandLine[] = [];
  const bareFlags: DocBareFlag[] = [];
  for (const file of files) {
    const found = scanMarkdown(readFileSync(join(root, file), 'utf8'), file);
    commandLines.push(...found.commandLines);
    bareFlags.push(...found.bareFlags);
  }
  return { files, commandLines, bareFlags };
}

/** Finds the command lines and bare flags of one Markdown text; `file` only labels where they are. */
export function scanMarkdown(markdown: string, file: string): Omit<DocCommandLines, 'files'> {
  const commandLines: DocCommandLine[] = [];
  const bareFlags: DocBareFlag[] = [];
  const lines = markdown.split('\n');
  let fence: { marker: string; shell: boolean } | undefined;
  let continued = '';
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index];
    const where = `${file}:${index + 1}`;
    const opening = /^\s*(```+|~~~+)\s*([\w-]*)/.exec(line);
    if (fence) {
      if (opening && line.trim().startsWith(fence.marker)) {
        fence = undefined;
        continue;
      }
      if (!fence.shell) continue;
      const code = stripShellComment(line);
      // A line ending in a backslash goes on in the next one, as in the shell.
      if (code.endsWith('\\')) {
        continued += `${code.slice(0, -1)} `;
        continue;
      }
      commandLines.push(...findCommandLines(continued + code, where));
      continued = '';
      continue;
    }
    if (opening) {
      fence = { marker: opening[1], shell: SHELL_FENCES.has(opening[2].toLowerCase()) };
      continue;
    }
    const spans = [...line.matchAll(/`([^`]+)`/g)].map((match) => match[1]);
    const inLine = spans.flatMap((span) => findCommandLines(span, where));
    commandLines.push(...inLine);
    const isTableRow = line.trimStart().startsWith('|');
    const rowCommand = isTableRow
      ? inLine.find((found) => !isPlaceholder(found.command))?.command
      : undefined;
    for (const span of spans) {
      if (!/^--[a-z]/.test(span)) continue;
      bareFlags.push({ where, words: shellWords(span), ...(rowCommand ? { rowCommand } : {}) });
    }
  }
  return { commandLines, bareFlags };
}

/** True for a word the docs use to stand for something: `<pid>`, `<command…>`, or `…` as in `joblens …`. */
export function isPlaceholder(word: string): boolean {
  return /^<[^<>\s]+>$/.test(word) || word === '…' || word === '...';
}

function findCommandLines(code: string, where: string): DocCommandLine[] {
  const found: DocCommandLine[] = [];
  for (const match of code.matchAll(COMMAND_START)) {
    const words = shellWords(code.slice((match.index ?? 0) + match[0].length));
    // A bare `joblens` names the program, it is no command line.
    if (words.length === 0) continue;
    const [command, ...args] = words;
    found.push({ where, text: `joblens ${words.join(' ')}`, command, args });
  }
  return found;
}

function stripShellComment(line: string): string {
  return line.replace(/(^|\s)#.*$/, '').trimEnd();
}

/**
 * Splits one shell command into words, up to where the command ends (`&&`, `;`, `|`, `&`, a redirection, a
 * comment). Quotes group, a backslash escapes, and `<name>` is a placeholder word rather than a redirection.
 */
function shellWords(text: string): string[] {
  const words: string[] = [];
  let current = '';
  let inWord = false;
  let quote: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === quote) quote = undefined;
      else current += c;
      continue;
    }
    if (c === "'" || c === '"') {
      quote = c;
      inWord = true;
      continue;
    }
    const placeholder = c === '<' ? /^<[^<>\s]+>/.exec(text.slice(i)) : null;
    if (placeholder) {
      current += placeholder[0];
      inWord = true;
      i += placeholder[0].length - 1;
      continue;
    }
    if (c === '\\' && i + 1 < text.length) {
      current += text[++i];
      inWord = true;
      continue;
    }
    if (/\s/.test(c)) {
      if (inWord) words.push(current);
      current = '';
      inWord = false;
      continue;
    }
    if ('#;&|<>)`'.includes(c)) {
      if (c === '#' && inWord) {
        current += c;
        continue;
      }
      // `2>&1`: the digits name a file descriptor, not an argument.
      if (inWord && !((c === '>' || c === '<') && /^\d+$/.test(current))) words.push(current);
      return words;
    }
    current += c;
    inWord = true;
  }
  if (inWord) words.push(current);
  return words;
}
