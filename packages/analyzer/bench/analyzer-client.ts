import { type ChildProcess, fork } from 'node:child_process';
import { Agent, request } from 'node:http';
import { fileURLToPath } from 'node:url';

/** A running analyzer child process (see analyzer-process.ts) and what the benchmarks ask of it. */
export interface AnalyzerChild {
  otlpUrl: string;
  /** Page, API, /healthz and /metrics; '' unless the mode is `full`. */
  apiUrl: string;
  pid: number;
  ask<T>(message: 'measure' | 'cpu' | 'evaluate'): Promise<T>;
  stop(): Promise<void>;
}

/** `mode`: see analyzer-process.ts (`full`, `model` or `receiver`). */
export async function startAnalyzerChild(
  mode: 'full' | 'model' | 'receiver' = 'full',
  /** More environment for the analyzer process (JOBLENS_BENCH_DATA_DIR, JOBLENS_BENCH_HISTORY). */
  env: Record<string, string> = {},
): Promise<AnalyzerChild> {
  const script = fileURLToPath(new URL('./analyzer-process.ts', import.meta.url));
  const child: ChildProcess = fork(script, [], {
    // JOBLENS_BENCH_CPU_PROF=<dir> profiles the analyzer process (node --cpu-prof) to see where time goes.
    execArgv: [
      '--expose-gc',
      '--import',
      'tsx',
      ...(process.env.JOBLENS_BENCH_CPU_PROF
        ? ['--cpu-prof', `--cpu-prof-dir=${process.env.JOBLENS_BENCH_CPU_PROF}`]
        : []),
    ],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    env: { ...process.env, ...env, JOBLENS_BENCH_ANALYZER: mode },
  });
  const { otlpUrl, apiUrl } = await new Promise<{ otlpUrl: string; apiUrl: string }>((resolve, reject) => {
    child.once('message', (m) => resolve(m as { otlpUrl: string; apiUrl: string }));
    child.once('exit', (code) => reject(new Error(`analyzer process exited with ${code} before listening`)));
  });
  return {
    otlpUrl,
    apiUrl,
    pid: child.pid ?? -1,
    ask: <T>(message: 'measure' | 'cpu' | 'evaluate') =>
      new Promise<T>((resolve) => {
        child.once('message', (m) => resolve(m as T));
        child.send(message);
      }),
    stop: () =>
      new Promise<void>((resolve) => {
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        child.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
        child.send('stop');
      }),
  };
}

export interface PostOutcome {
  ok: number;
  retried: number;
}

/**
 * Posts gzip protobuf bodies to `url` over `connections` keep-alive connections, each taking the next
 * body when its previous one is answered; a 503 (back pressure) is retried after its Retry-After.
 */
export async function postAll(url: string, bodies: Buffer[], connections: number): Promise<PostOutcome> {
  const agent = new Agent({ keepAlive: true, maxSockets: connections });
  const target = new URL(url);
  let next = 0;
  const outcome: PostOutcome = { ok: 0, retried: 0 };
  const postOne = (body: Buffer) =>
    new Promise<{ status: number; retryAfter: number }>((resolve, reject) => {
      const req = request(
        {
          agent,
          host: target.hostname,
          port: target.port,
          path: target.pathname,
          method: 'POST',
          headers: {
            'content-type': 'application/x-protobuf',
            'content-encoding': 'gzip',
            'content-length': body.length,
          },
        },
        (res) => {
          res.resume();
          res.on('end', () =>
            resolve({ status: res.statusCode ?? 0, retryAfter: Number(res.headers['retry-after'] ?? 1) }),
          );
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  const loop = async () => {
    while (next < bodies.length) {
      const body = bodies[next++];
      for (;;) {
        const { status, retryAfter } = await postOne(body);
        if (status === 200) break;
        if (status !== 503) throw new Error(`analyzer answered ${status}`);
        outcome.retried++;
        await new Promise((r) => setTimeout(r, Math.min(retryAfter, 1) * 1000));
      }
      outcome.ok++;
    }
  };
  await Promise.all(Array.from({ length: connections }, loop));
  agent.destroy();
  return outcome;
}
