import { tmpdir } from 'node:os';
import { join } from 'node:path';

// Where a worker's dumps land and what they are called: the contract between the SDK, which writes
// them, and `joblens dump <pid>`, which waits for one. Published as `@joblens/sdk/dump-location` so the
// CLI reads it without the SDK's main entry offering it to every worker.

/** Where dumps go when `dumpDirectory` is not set; `joblens dump <pid>` looks here. */
export function defaultDumpDirectory(): string {
  return join(tmpdir(), 'joblens-dumps');
}

/** The file-name prefix of a process's dumps: `joblens-dump-<pid>-`. */
export function dumpFilePrefix(pid: number): string {
  return `joblens-dump-${pid}-`;
}
