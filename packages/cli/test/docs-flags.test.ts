import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { commands } from '../src/commands/index.js';
import { parseCommandLine } from '../src/parse-command-line.js';
import { scanComposeCommands } from './compose-command-lines.js';
import {
  collectDocCommandLines,
  type DocBareFlag,
  type DocCommandLine,
  isPlaceholder,
  scanMarkdown,
} from './markdown-command-lines.js';

const ROOT = resolve(import.meta.dirname, '../../..');

/** Flags of other programs that the docs show on their own, and whose they are. */
const OTHER_PROGRAMS_FLAGS: Record<string, string> = {
  '--enable-feature': "Prometheus's, in docs/deployment.md",
};

/** In these files a flag shown on its own is one of this command's: their option tables. */
const BARE_FLAGS_COMMAND: Record<string, string> = {
  'packages/analyzer/README.md': 'serve',
  'packages/demo/README.md': 'demo',
};

/** Why the CLI's parser refuses `joblens <command> <args>`, or undefined when it accepts it. */
function refusal(command: string, args: string[]): string | undefined {
  const syntax = Object.hasOwn(commands, command) ? commands[command].syntax : undefined;
  if (!syntax) return `there is no command '${command}'`;
  try {
    parseCommandLine(command, syntax, args);
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

function refusalOfLine(line: DocCommandLine): string | undefined {
  // `joblens <command>` stands for any command.
  if (isPlaceholder(line.command)) return undefined;
  return refusal(line.command, line.args);
}

/**
 * A flag on its own may be shown without its value (`--otlp-port` in a table): it is accepted when the
 * parser takes it alone (a switch) or followed by a value.
 */
function refusalOfFlag(command: string, words: string[]): string | undefined {
  const alone = refusal(command, words);
  if (alone === undefined || words.length > 1) return alone;
  return refusal(command, [...words, 'value']) === undefined ? undefined : alone;
}

function refusalOfBareFlag(flag: DocBareFlag): string | undefined {
  const name = flag.words[0].split('=')[0];
  if (Object.hasOwn(OTHER_PROGRAMS_FLAGS, name)) return undefined;
  const file = flag.where.slice(0, flag.where.lastIndexOf(':'));
  const command = flag.rowCommand ?? BARE_FLAGS_COMMAND[file];
  if (command) return refusalOfFlag(command, flag.words);
  // Prose about the CLI as a whole: some command must take it.
  const takers = Object.keys(commands).filter((name) => refusalOfFlag(name, flag.words) === undefined);
  return takers.length > 0 ? undefined : 'no joblens command takes it';
}

describe('the joblens command lines in the Markdown files', () => {
  const docs = collectDocCommandLines(ROOT);

  it('are found in the README, docs/ and the package READMEs, in every form they are written', () => {
    expect(docs.files).toEqual(
      expect.arrayContaining(['README.md', 'docs/deployment.md', 'packages/cli/README.md']),
    );
    const files = new Set(docs.commandLines.map((line) => line.where.split(':')[0]));
    expect([...files]).toEqual(
      expect.arrayContaining([
        'README.md',
        'docs/semantic-conventions.md',
        'packages/analyzer/README.md',
        'packages/cli/README.md',
        'packages/demo/README.md',
      ]),
    );
    const commandsShown = new Set(docs.commandLines.map((line) => line.command));
    for (const name of Object.keys(commands)) expect(commandsShown).toContain(name);
  });

  it('are each accepted, with every flag, by the CLI parser', () => {
    const refused = docs.commandLines.flatMap((line) => {
      const reason = refusalOfLine(line);
      return reason === undefined ? [] : [`${line.where}: ${line.text}: ${reason}`];
    });
    expect(refused).toEqual([]);
  });

  it('name only flags that the command they are about accepts, when shown on their own', () => {
    expect(docs.bareFlags.length).toBeGreaterThan(0);
    const refused = docs.bareFlags.flatMap((flag) => {
      const reason = refusalOfBareFlag(flag);
      return reason === undefined ? [] : [`${flag.where}: ${flag.words.join(' ')}: ${reason}`];
    });
    expect(refused).toEqual([]);
  });

  it('include the Compose commands that run the joblens image, here and in docker-compose.yml, all accepted', () => {
    const names = Object.keys(commands);
    const composeLines = ['docker-compose.yml', ...docs.files].flatMap((file) =>
      scanComposeCommands(readFileSync(join(ROOT, file), 'utf8'), file, names),
    );
    expect(composeLines.map((line) => line.where.split(':')[0])).toEqual(
      expect.arrayContaining(['docker-compose.yml', 'docs/scale-out.md']),
    );
    const refused = composeLines.flatMap((line) => {
      const reason = refusalOfLine(line);
      return reason === undefined ? [] : [`${line.where}: ${line.text}: ${reason}`];
    });
    expect(refused).toEqual([]);
  });

  it('can rely on --url and --token on every command that talks to an analyzer, as the CLI README says', () => {
    for (const [command, args] of [
      ['findings', []],
      ['explain', ['some-finding-id']],
      ['run', ['--monitor', 'nightly', '--', 'true']],
    ] as const) {
      expect(refusal(command, ['--url', 'http://analyzer:4320', '--token', 't', ...args])).toBeUndefined();
    }
  });
});

describe('collecting command lines from Compose files', () => {
  it("takes a service's command when it starts with a joblens command, and leaves other programs' alone", () => {
    const lines = scanComposeCommands(
      [
        'services:',
        '  analyzer:',
        "    command: ['serve', '--host', '0.0.0.0', \"--port\", '4320'] # the page",
        '  collector:',
        "    command: ['--config=/etc/otelcol-contrib/config.yaml']",
      ].join('\n'),
      'compose.yml',
      Object.keys(commands),
    );
    expect(lines).toEqual([
      {
        where: 'compose.yml:3',
        text: 'joblens serve --host 0.0.0.0 --port 4320',
        command: 'serve',
        args: ['--host', '0.0.0.0', '--port', '4320'],
      },
    ]);
  });
});

describe('collecting command lines from Markdown', () => {
  it('finds npx, pnpm exec and bare forms, in shell blocks and inline code, and leaves comments out', () => {
    const { commandLines } = scanMarkdown(
      [
        'Run `npx joblens findings --status open` or `joblens demo`.',
        '```sh',
        'npx -y pnpm@9.15.9 exec joblens serve --port 0 # a free port; joblens picks it',
        'JOBLENS_TOKEN=t pnpm exec joblens explain <finding-id> > ticket.md 2>&1',
        'joblens run --monitor nightly \\',
        "  --url http://a:4320 -- sh -c 'echo hi; exit 3'",
        '```',
      ].join('\n'),
      'fixture.md',
    );
    expect(commandLines.map((line) => [line.where, line.command, ...line.args])).toEqual([
      ['fixture.md:1', 'findings', '--status', 'open'],
      ['fixture.md:1', 'demo'],
      ['fixture.md:3', 'serve', '--port', '0'],
      ['fixture.md:4', 'explain', '<finding-id>'],
      [
        'fixture.md:6',
        'run',
        '--monitor',
        'nightly',
        '--url',
        'http://a:4320',
        '--',
        'sh',
        '-c',
        'echo hi; exit 3',
      ],
    ]);
  });

  it('ignores code that only names joblens: TypeScript blocks, packages, metrics and the program alone', () => {
    const { commandLines } = scanMarkdown(
      [
        'The `joblens` command; `@joblens/sdk`; `joblens_findings_open`; `joblens:queue_imbalance:ratio5m`.',
        '```ts',
        'const joblens = startJoblens({ serviceName: "mailer" });',
        '```',
      ].join('\n'),
      'fixture.md',
    );
    expect(commandLines).toEqual([]);
  });

  it('ties a flag shown on its own to the command named in its table row', () => {
    const { bareFlags } = scanMarkdown(
      ['| `joblens findings` | lists findings (`--type`, `--json`) |', 'Commands take `--url <url>`.'].join(
        '\n',
      ),
      'fixture.md',
    );
    expect(bareFlags).toEqual([
      { where: 'fixture.md:1', words: ['--type'], rowCommand: 'findings' },
      { where: 'fixture.md:1', words: ['--json'], rowCommand: 'findings' },
      { where: 'fixture.md:2', words: ['--url', '<url>'] },
    ]);
  });

  it('reports a documented flag the parser refuses, and an unknown command', () => {
    const { commandLines, bareFlags } = scanMarkdown(
      [
        '`joblens serve --evaluation-interval-seconds 5`',
        '`joblens watch`',
        '| `joblens findings` | filters (`--colour`) |',
      ].join('\n'),
      'fixture.md',
    );
    expect(commandLines.map(refusalOfLine)).toEqual([
      expect.stringContaining("Unknown option '--evaluation-interval-seconds'"),
      "there is no command 'watch'",
      undefined,
    ]);
    expect(bareFlags.map(refusalOfBareFlag)).toEqual([expect.stringContaining("Unknown option '--colour'")]);
  });
});
