import type { Command } from '../command.js';
import { demoCommand } from './demo.js';
import { dumpCommand } from './dump.js';
import { explainCommand } from './explain.js';
import { findingsCommand } from './findings.js';
import { runCommand } from './run.js';
import { serveCommand } from './serve.js';

/**
 * The subcommands, by name. Each lives in its own file (`serve.ts`, `demo.ts`, `run.ts`, `findings.ts`,
 * `explain.ts`, `dump.ts`) and is added here when it exists.
 */
export const commands: Record<string, Command> = {
  demo: demoCommand,
  dump: dumpCommand,
  explain: explainCommand,
  findings: findingsCommand,
  run: runCommand,
  serve: serveCommand,
};
