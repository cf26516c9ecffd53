import type { DocCommandLine } from './markdown-command-lines.js';

/**
 * The joblens command lines of Compose services (`command: ['serve', '--host', '0.0.0.0', …]`), in a Compose
 * file or a Compose snippet in the docs. The image's entrypoint is `joblens`, so a flow sequence whose first
 * item is one of `commandNames` is a joblens command line; other services' commands (a Collector's
 * `['--config=…']`) start otherwise and are left out.
 */
export function scanComposeCommands(
  text: string,
  file: string,
  commandNames: readonly string[],
): DocCommandLine[] {
  const found: DocCommandLine[] = [];
  text.split('\n').forEach((line, index) => {
    const sequence = /^\s*command:\s*\[(.*)\]\s*(?:#.*)?$/.exec(line);
    if (!sequence) return;
    const words = [...sequence[1].matchAll(/'([^']*)'|"([^"]*)"/g)].map((item) => item[1] ?? item[2]);
    if (words.length === 0 || !commandNames.includes(words[0])) return;
    const [command, ...args] = words;
    found.push({ where: `${file}:${index + 1}`, text: `joblens ${words.join(' ')}`, command, args });
  });
  return found;
}
