import type { ParseArgsConfig } from 'node:util';

/** The flags a command takes, in `node:util` `parseArgs` form. */
export type CommandOptions = NonNullable<ParseArgsConfig['options']>;

/**
 * What a command line may hold. One description serves three readers: the parser, the `--help` test
 * and the test that checks every `joblens …` line in the docs, so the three cannot drift apart.
 */
export interface CommandSyntax<O extends CommandOptions = CommandOptions> {
  options: O;
  /** Whether bare arguments (a pid, a finding id) are allowed. */
  allowPositionals: boolean;
  /** Everything after the first `--` is another program's command line, passed through unparsed (`run`). */
  passThroughAfterSeparator?: boolean;
}

/** One `joblens` subcommand. `run` gets the arguments after the command name and returns the exit code. */
export interface Command {
  summary: string;
  /** The `--help` text; it names every flag of {@link syntax}. */
  usage: string;
  syntax: CommandSyntax;
  run(argv: string[]): Promise<number>;
}
