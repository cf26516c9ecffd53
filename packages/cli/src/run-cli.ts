import { stripControlCharacters } from '@joblens/analyzer';
import { CliError } from './cli-error.js';
import { commands } from './commands/index.js';

const USAGE = `usage: joblens <command> [options]

commands:
${Object.entries(commands)
  .map(([name, command]) => `  ${name.padEnd(10)} ${command.summary}`)
  .join('\n')}

Run 'joblens <command> --help' for a command's options.`;

/** Runs one command and returns the exit code. Errors become one line on stderr, never a stack trace. */
export async function runCli(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return name ? 0 : 2;
  }
  // Own properties only: `joblens constructor` is an unknown command, not Object's prototype.
  const command = Object.hasOwn(commands, name) ? commands[name] : undefined;
  if (!command) {
    const shown = stripControlCharacters(name, { singleLine: true });
    process.stderr.write(`joblens: unknown command '${shown}'; 'joblens --help' lists the commands\n`);
    return 2;
  }
  try {
    return await command.run(rest);
  } catch (error) {
    const message = error instanceof CliError ? error.message : describeUnexpected(error);
    // Messages can quote the analyzer's answers or the user's arguments: one clean line, whatever they hold.
    process.stderr.write(`joblens ${name}: ${stripControlCharacters(message, { singleLine: true })}\n`);
    if (process.env.JOBLENS_DEBUG && error instanceof Error) process.stderr.write(`${error.stack}\n`);
    return error instanceof CliError ? error.exitCode : 1;
  }
}

function describeUnexpected(error: unknown): string {
  if (error instanceof Error)
    return error.cause instanceof Error ? `${error.message}: ${error.cause.message}` : error.message;
  return String(error);
}
