import { describe, expect, it } from 'vitest';
import { commands } from '../src/commands/index.js';
import { parseCommandLine } from '../src/parse-command-line.js';
import { runJoblensInProcess } from './run-joblens.js';

/** The long flags a help text mentions, as `--name`. */
function flagsNamedIn(text: string): string[] {
  return [...new Set([...text.matchAll(/(?<![\w-])--([a-z][a-z0-9-]*)/g)].map((match) => match[1]))];
}

/** True when the command's parser takes `--name`, alone (a switch) or with a value. */
function accepts(command: string, name: string): boolean {
  const { syntax } = commands[command];
  for (const args of [[`--${name}`], [`--${name}`, 'value']]) {
    try {
      parseCommandLine(command, syntax, args);
      return true;
    } catch {}
  }
  return false;
}

describe('joblens --help', () => {
  it('lists every command', async () => {
    const result = await runJoblensInProcess(['--help']);
    expect(result.code).toBe(0);
    for (const name of Object.keys(commands)) expect(result.stdout).toMatch(new RegExp(`^ {2}${name} `, 'm'));
  });

  it('refuses an unknown command in one line, with exit code 2', async () => {
    for (const name of ['serv', 'constructor']) {
      const result = await runJoblensInProcess([name]);
      expect(result.code).toBe(2);
      expect(result.stderr).toBe(`joblens: unknown command '${name}'; 'joblens --help' lists the commands\n`);
    }
  });

  describe.each(Object.keys(commands))('joblens %s --help', (name) => {
    it('names every flag the parser accepts, and its short form', async () => {
      const result = await runJoblensInProcess([name, '--help']);
      expect(result.code).toBe(0);
      expect(result.stderr).toBe('');
      expect(result.stdout).toBe(`${commands[name].usage}\n`);
      for (const [flag, option] of Object.entries(commands[name].syntax.options)) {
        expect(result.stdout).toMatch(new RegExp(`(?<![\\w-])--${flag}(?![\\w-])`));
        if (option.short) expect(result.stdout).toMatch(new RegExp(`(?<![\\w-])-${option.short}\\b`));
      }
    });

    it('names no flag the parser refuses', async () => {
      const { stdout } = await runJoblensInProcess([name, '--help']);
      const refused = flagsNamedIn(stdout).filter((flag) => !accepts(name, flag));
      expect(refused).toEqual([]);
    });
  });
});
