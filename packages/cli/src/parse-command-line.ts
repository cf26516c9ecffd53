import { parseArgs } from 'node:util';
import { CliError } from './cli-error.js';
import type { CommandOptions, CommandSyntax } from './command.js';

export interface ParsedCommandLine<O extends CommandOptions> {
  values: ReturnType<typeof parseArgs<{ args: string[]; options: O; strict: true }>>['values'];
  positionals: string[];
  /** The arguments after the first `--`, when the syntax passes them through; else undefined. */
  passThrough: string[] | undefined;
}

/**
 * Parses a command's arguments against its syntax. Every command goes through here, and so does the test
 * of the docs' command lines. Bad usage becomes one line and exit code 2.
 */
export function parseCommandLine<O extends CommandOptions>(
  name: string,
  syntax: CommandSyntax<O>,
  argv: readonly string[],
): ParsedCommandLine<O> {
  const separator = syntax.passThroughAfterSeparator ? argv.indexOf('--') : -1;
  const own = separator === -1 ? [...argv] : argv.slice(0, separator);
  let parsed: { values: unknown; positionals: string[] };
  try {
    parsed = parseArgs({
      args: own,
      options: syntax.options,
      allowPositionals: syntax.allowPositionals,
      strict: true,
    });
  } catch (error) {
    // parseArgs breaks some messages over lines: one line, with its words apart.
    const message = (error as Error).message.replace(/\s*\n\s*/g, ' ');
    throw new CliError(`${message}; see 'joblens ${name} --help'`, 2);
  }
  return {
    values: parsed.values as ParsedCommandLine<O>['values'],
    positionals: parsed.positionals,
    passThrough: separator === -1 ? undefined : argv.slice(separator + 1),
  };
}
