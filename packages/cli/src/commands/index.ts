import type { Command } from '../command.js';
import { ackCommand } from './ack.js';
import { demoCommand } from './demo.js';
import { dumpCommand } from './dump.js';
import { explainCommand } from './explain.js';
import { findingsCommand } from './findings.js';
import { jobsCommand } from './jobs.js';
import { mcpCommand } from './mcp.js';
import { runCommand } from './run.js';
import { serveCommand } from './serve.js';
import { snoozeCommand } from './snooze.js';

/**
 * The subcommands, by name. Each lives in its own file (`serve.ts`, `demo.ts`, `run.ts`, `findings.ts`,
 * `explain.ts`, `dump.ts`, `ack.ts`, `snooze.ts`, `jobs.ts`, `mcp.ts`) and is added here when it exists.
 */
export const commands: Record<string, Command> = {
  ack: ackCommand,
  demo: demoCommand,
  dump: dumpCommand,
  explain: explainCommand,
  findings: findingsCommand,
  jobs: jobsCommand,
  mcp: mcpCommand,
  run: runCommand,
  serve: serveCommand,
  snooze: snoozeCommand,
};
