import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { HostSpec } from './scenario.js';
import {
  type ParentMessage,
  WORKER_CONFIG_ENV,
  type WorkerConfig,
  type WorkerMessage,
} from './worker-protocol.js';

export interface FleetOptions {
  hosts: HostSpec[];
  /** Everything in a worker's config but its host, id, consumers and cron. */
  base: Omit<WorkerConfig, 'host' | 'instanceId' | 'consumers' | 'cron'>;
  onMessage(instanceId: string, message: WorkerMessage): void;
  /** A worker ended without being asked to: its exit code or signal, and the end of its stderr. */
  onUnexpectedExit(host: string, reason: string, stderrTail: string): void;
}

interface Member {
  spec: HostSpec;
  child: ChildProcess;
  ready: boolean;
  processed: number;
  stderrTail: string;
  exited: Promise<void>;
}

const STDERR_TAIL_CHARS = 4000;
const WORKER_ENTRY = fileURLToPath(new URL('./worker-entry.ts', import.meta.url));

/**
 * The simulated hosts: one child process each (`node --import tsx worker-entry.ts`), posing as its own
 * machine through `host.name` and `service.instance.id`.
 */
export class Fleet {
  private readonly members = new Map<string, Member>();
  private stopping = false;

  constructor(private readonly options: FleetOptions) {
    // The demo depends on tsx, so its loader resolves from here whatever the current directory is.
    const tsxLoader = import.meta.resolve('tsx');
    for (const spec of options.hosts) {
      const config: WorkerConfig = {
        ...options.base,
        host: spec.host,
        instanceId: spec.instanceId,
        consumers: spec.consumers,
        cron: spec.cron,
      };
      const child = fork(WORKER_ENTRY, [], {
        execArgv: ['--import', tsxLoader],
        env: { ...process.env, [WORKER_CONFIG_ENV]: JSON.stringify(config) },
        stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
        serialization: 'json',
      });
      const member: Member = {
        spec,
        child,
        ready: false,
        processed: 0,
        stderrTail: '',
        exited: new Promise((resolve) => child.once('exit', () => resolve())),
      };
      child.stderr?.setEncoding('utf8');
      child.stderr?.on('data', (text: string) => {
        member.stderrTail = (member.stderrTail + text).slice(-STDERR_TAIL_CHARS);
      });
      child.on('message', (message: WorkerMessage) => this.receive(member, message));
      child.once('exit', (code, signal) => {
        if (!this.stopping) {
          options.onUnexpectedExit(
            spec.host,
            signal ? `signal ${signal}` : `exit code ${code}`,
            member.stderrTail,
          );
        }
      });
      // A send to a worker that just died is not worth crashing the demo over.
      child.on('error', () => {});
      this.members.set(spec.instanceId, member);
    }
  }

  /** Resolves when every worker said it is ready; rejects naming the laggards after `timeoutMillis`. */
  async waitReady(timeoutMillis: number): Promise<void> {
    const deadline = Date.now() + timeoutMillis;
    while (Date.now() < deadline) {
      const dead = [...this.members.values()].filter((member) => member.child.exitCode !== null);
      if (dead.length > 0) {
        const first = dead[0];
        throw new Error(`worker ${first.spec.host} exited while starting:\n${first.stderrTail.trim()}`);
      }
      if ([...this.members.values()].every((member) => member.ready)) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const late = [...this.members.values()]
      .filter((member) => !member.ready)
      .map((member) => member.spec.host);
    throw new Error(`workers not ready after ${timeoutMillis / 1000} s: ${late.join(', ')}`);
  }

  send(instanceId: string, message: ParentMessage): void {
    const member = this.members.get(instanceId);
    if (member?.child.connected) member.child.send(message, () => {});
  }

  /** Attempts the workers ran so far, all hosts together. */
  processedTotal(): number {
    let total = 0;
    for (const member of this.members.values()) total += member.processed;
    return total;
  }

  /** Asks every worker to flush and exit, then kills whatever is left after `graceMillis`. */
  async stop(graceMillis = 3000): Promise<void> {
    this.stopping = true;
    for (const member of this.members.values()) this.send(member.spec.instanceId, { type: 'shutdown' });
    const all = Promise.all([...this.members.values()].map((member) => member.exited));
    const timer = new Promise((resolve) => setTimeout(resolve, graceMillis).unref());
    await Promise.race([all, timer]);
    for (const member of this.members.values()) {
      if (member.child.exitCode === null && member.child.signalCode === null) member.child.kill('SIGKILL');
    }
    await Promise.race([all, new Promise((resolve) => setTimeout(resolve, 1000).unref())]);
  }

  private receive(member: Member, message: WorkerMessage): void {
    if (message.type === 'ready') member.ready = true;
    else if (message.type === 'processed') member.processed = message.count;
    this.options.onMessage(member.spec.instanceId, message);
  }
}
