export { CliError } from './cli-error.js';
export type { Command } from './command.js';
export { runCli } from './run-cli.js';
