import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

/**
 * Node's arguments that run `joblens` from its sources, so tests see the code as it is now; the built
 * bin (`bin/joblens.js` → `dist/`) is what the packed-install test runs.
 */
export const JOBLENS_COMMAND: readonly string[] = [
  '--import',
  'tsx',
  fileURLToPath(new URL('../src/main.ts', import.meta.url)),
];

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `joblens <args>` as a real child process to completion. */
export function runJoblens(args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...JOBLENS_COMMAND, ...args], { env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

export interface ServeProcess {
  child: ChildProcessWithoutNullStreams;
  otlpUrl: string;
  apiUrl: string;
  output: () => string;
  exited: Promise<number | null>;
}

/** Starts `joblens serve <args>` and resolves once it printed the URLs it listens on. */
export function startServe(args: string[], timeoutMillis = 30_000): Promise<ServeProcess> {
  const child = spawn(process.execPath, [...JOBLENS_COMMAND, 'serve', ...args], {
    env: { ...process.env, JOBLENS_TOKEN: '' },
  });
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`joblens serve did not start in time; it printed:\n${output}`));
    }, timeoutMillis);
    const onData = (chunk: Buffer) => {
      output += chunk;
      const otlp = /OTLP\/HTTP\s+(http:\/\/\S+)/.exec(output);
      const api = /API\s+(http:\/\/\S+)\/api\/findings/.exec(output);
      if (otlp && api) {
        clearTimeout(timer);
        resolve({ child, otlpUrl: otlp[1], apiUrl: api[1], output: () => output, exited });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (chunk) => (output += chunk));
    exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`joblens serve exited with ${code} before starting:\n${output}`));
    });
  });
}

/** A local port nothing listens on: one the OS just handed out and that was closed again. */
export function closedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/**
 * Runs `joblens <args>` inside this process, capturing what it writes. Spawning costs seconds of tsx
 * start-up per run, so argument and error handling is tested here, and whole processes only where the
 * process itself matters (signals, kill -9, the real binary).
 */
export async function runJoblensInProcess(args: string[]): Promise<CliResult> {
  const { runCli } = await import('../src/run-cli.js');
  let stdout = '';
  let stderr = '';
  const writeOut = process.stdout.write;
  const writeErr = process.stderr.write;
  process.stdout.write = ((chunk: string | Uint8Array) => {
    stdout += String(chunk);
    return true;
  }) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string | Uint8Array) => {
    stderr += String(chunk);
    return true;
  }) as typeof process.stderr.write;
  try {
    const code = await runCli(args);
    return { code, stdout, stderr };
  } finally {
    process.stdout.write = writeOut;
    process.stderr.write = writeErr;
  }
}
